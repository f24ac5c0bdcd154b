"""What every capability's views build on: the HTTP side of the app.

Form saving and field errors (`form_saving`), shared form classes and fields (`forms`), error
pages (`error_pages`), templating helpers (`templating`), the session interface (`sessions`),
security headers (`security`), rate limits counted in a view (`rate_limits`), safe redirects
(`urls`), CSV writing with formula guarding (`csv_writing`), health checks (`health`) and the
site-wide pages (`pages`). `web` may import `core`; `core` never imports `web`.
"""
