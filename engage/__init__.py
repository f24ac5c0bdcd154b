"""engage: public consultation and community grants for a police force and its PCC."""

import logging
from pathlib import Path

from flask import Flask

from engage.core.config import engine_options, settings_from_environment
from engage.core.extensions import csrf, db, limiter, login_manager, migrate
from engage.mail import init_mail
from engage.web.input_guard import register_input_guard
from engage.web.languages import register_languages
from engage.web.security import register_security_headers
from engage.web.sessions import PlainJsonSessionInterface
from engage.web.templating import register_templating
from engage.web.urls import DatabaseIdConverter

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Assemble the application: settings, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    overrides = config or {}
    app.config.update(settings_from_environment(app.instance_path, overrides.get("SECRET_KEY")))
    app.config.update(overrides)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )

    app.session_interface = PlainJsonSessionInterface()
    db.init_app(app)
    _configure_sqlite()
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    register_templating(app)
    register_languages(app)
    register_security_headers(app)
    register_input_guard(app)
    app.url_map.converters["int"] = DatabaseIdConverter
    _register_blueprints(app)
    _register_commands(app)
    _configure_logging(app)
    init_mail(app)  # after logging, so its start-up line about the outbox is shown
    return app


def _configure_sqlite() -> None:
    """Enforce foreign keys and let readers and a writer work at once on SQLite."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if getattr(_configure_sqlite, "done", False):
        return

    @event.listens_for(Engine, "connect")
    def _sqlite_pragmas(dbapi_connection, connection_record):
        if type(dbapi_connection).__module__ != "sqlite3":
            return
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    # A mark on the function itself, so the listener is added once per process.
    _configure_sqlite.done = True  # type: ignore[attr-defined]


def _register_blueprints(app: Flask) -> None:
    import engage.jobs.models  # noqa: F401  (no views: imported so its table is in the metadata)
    from engage import activecitizens, auth, coding, outcomes, passwords, privacy, social, surveys
    from engage.web import error_pages, health, pages

    app.register_blueprint(health.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(error_pages.bp)
    for capability in (
        auth,
        surveys,
        social,
        activecitizens,
        outcomes,
        coding,
        passwords,
        privacy,
    ):
        capability.register(app)


def _register_commands(app: Flask) -> None:
    from engage.cli import register_commands

    register_commands(app)


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        app.logger.setLevel(logging.INFO)
