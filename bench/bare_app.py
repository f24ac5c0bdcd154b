"""The baseline for bench/submit.py: bare Flask + Flask-SQLAlchemy that only inserts the rows
an online response stores (a response and its answers), with no checks, CSRF, session,
rate limit or tallies. Serve with: gunicorn 'bench.bare_app:create_bare_app()'."""

import hashlib
import os
import secrets
from datetime import UTC, datetime

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy


def create_bare_app() -> Flask:
    app = Flask(__name__)
    url = os.environ["DATABASE_URL"]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 5}}
    db = SQLAlchemy(app)
    with app.app_context():
        db.reflect()
        if url.startswith("sqlite"):
            with db.engine.begin() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    responses = db.metadata.tables["responses"]
    answers = db.metadata.tables["answers"]

    @app.get("/")
    def index():
        return "bare"

    @app.post("/consultations/<int:consultation_id>/send")
    def send(consultation_id: int):
        response_id = db.session.execute(
            responses.insert()
            .values(
                consultation_id=consultation_id,
                reference="R" + secrets.token_hex(6).upper(),
                channel="online",
                area=request.form.get("area") or "not_given",
                submitted_at=datetime.now(UTC),
                # A stand-in for engage's raw token: the column holds 64 characters.
                form_token=hashlib.sha256(request.form["form_token"].encode()).hexdigest(),
                is_demo=False,
            )
            .returning(responses.c.id)
        ).scalar_one()
        rows = []
        for name in request.form:
            if name.startswith("q") and name[1:].isdigit():
                for value in request.form.getlist(name):
                    if value.isdigit():
                        rows.append(
                            {
                                "response_id": response_id,
                                "question_id": int(name[1:]),
                                "option_id": int(value),
                                "text": None,
                            }
                        )
                    else:
                        rows.append(
                            {
                                "response_id": response_id,
                                "question_id": int(name[1:]),
                                "option_id": None,
                                "text": value,
                            }
                        )
        if rows:
            db.session.execute(answers.insert(), rows)
        db.session.commit()
        return "", 303, {"Location": "/"}

    return app
