"""Email: one function sends every message, through the job queue."""

from flask import Flask

from engage.core.extensions import mail


def init_mail(app: Flask) -> None:
    """Bind Flask-Mailman: SMTP when MAIL_SERVER is set, else files in the outbox folder."""
    if app.config.get("MAIL_SERVER"):
        app.config.setdefault("MAIL_BACKEND", "smtp")
    else:
        app.config.setdefault("MAIL_BACKEND", "file")
    mail.init_app(app)
    if app.config["MAIL_BACKEND"] == "file":
        app.logger.info(
            "No MAIL_SERVER set: email is written to files in %s, not sent",
            app.config["MAIL_FILE_PATH"],
        )
