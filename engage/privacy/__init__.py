"""UK GDPR duties done by the platform: retention, subject requests, access trail, records.

The retention schedule (`schedule`) and the registry of personal data (`registry`) are the
single source that enforcement, the privacy notice and the record of processing read, so the
documents cannot drift from what the code does. Other packages call
`engage.privacy.access_log.record_access` from the views that show personal data.
"""

from flask import Blueprint, Flask

staff_bp = Blueprint("privacy_staff", __name__, url_prefix="/staff/privacy")


def register(app: Flask) -> None:
    """Attach the data protection pages and the `privacy` commands."""
    from engage.privacy import views  # noqa: F401  (routes register on import)
    from engage.privacy.cli import privacy_cli

    app.register_blueprint(staff_bp)
    app.cli.add_command(privacy_cli)
