"""Security headers on every response, and trusting a TLS-terminating proxy only when told to."""

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything is served by the app itself, so the policy can refuse every other origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # plotly.js sets inline styles on its charts
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# No page uses a camera, a microphone, the position or payments: refuse them to every origin.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)
# A year, the floor browsers' preload lists ask for; only ever sent over TLS.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def _add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # Links out (a funded group's website, X) learn nothing of the page they came from.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(_add_security_headers)
    hops = app.config.get("PROXY_FIX_HOPS", 0)
    if hops:
        # Behind that many proxies, X-Forwarded-Proto/For/Host are theirs to set; without the
        # setting they are ignored, so a client cannot claim TLS (or an address) it lacks.
        # Flask's documented way to wrap its WSGI app.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
