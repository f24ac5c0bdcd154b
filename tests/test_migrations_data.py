"""Migrations that reshape tables keep the rows in them, on SQLite and PostgreSQL."""

import os

import flask_migrate
import psycopg
import pytest
from sqlalchemy import inspect, text

from engage import create_app
from engage.core.extensions import db
from tests.census import CENSUS_2021
from tests.conftest import test_config as config_for

SCRATCH_DATABASE = "engage_migration_scratch"


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own, so going down and up again leaves the suite's database alone."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'scratch.sqlite'}"
        return
    server = url.split("://", 1)[1].rsplit("/", 1)[0]
    admin = f"postgresql://{server}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{SCRATCH_DATABASE}"')
    yield f"postgresql+psycopg://{server}/{SCRATCH_DATABASE}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DATABASE}" WITH (FORCE)')


def _scalar(sql: str):
    return db.session.scalar(text(sql))


def test_the_awaiting_list_replaces_the_tallied_flag_and_keeps_every_answer(scratch_url):
    app = create_app(config_for(scratch_url))
    with app.app_context():
        flask_migrate.upgrade(revision="0004")
        db.session.execute(
            text(
                "INSERT INTO consultations (id, slug, title, summary, opens_on, closes_on, status, "
                "outcome, is_demo, created_at, questions_revision) VALUES (1, 'plan', 'Plan', "
                "'Plan', '2026-01-01', '2026-12-31', 'open', '', false, CURRENT_TIMESTAMP, 0)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO questions (id, consultation_id, position, kind, prompt, help_text, "
                "required, max_length) VALUES (1, 1, 0, 'free_text', 'Why?', '', false, 200)"
            )
        )
        for response_id, tallied in ((1, True), (2, False)):
            db.session.execute(
                text(
                    "INSERT INTO responses (id, consultation_id, reference, channel, area, "
                    "submitted_at, is_demo, tallied) VALUES (:id, 1, :reference, 'online', "
                    "'dudley', CURRENT_TIMESTAMP, false, :tallied)"
                ),
                {"id": response_id, "reference": f"R-{response_id}", "tallied": tallied},
            )
            db.session.execute(
                text(
                    "INSERT INTO answers (response_id, question_id, text) "
                    "VALUES (:id, 1, 'More patrols')"
                ),
                {"id": response_id},
            )
        db.session.commit()

        flask_migrate.upgrade(revision="0005")
        assert _scalar("SELECT count(*) FROM answers") == 2
        assert _scalar("SELECT count(*) FROM responses") == 2
        assert _scalar("SELECT response_id FROM responses_awaiting_tally") == 2
        db.session.remove()  # end the reading transaction: ALTER TABLE would wait for it

        flask_migrate.downgrade(revision="0004")
        flags = db.session.execute(text("SELECT id, tallied FROM responses ORDER BY id"))
        assert [(row[0], bool(row[1])) for row in flags] == [(1, True), (2, False)]
        assert _scalar("SELECT count(*) FROM answers") == 2
        db.session.remove()
        db.engine.dispose()


def test_the_2021_census_populations_are_seeded_with_their_source(scratch_url):
    app = create_app(config_for(scratch_url))
    with app.app_context():
        flask_migrate.upgrade(revision="0011")
        rows = db.session.execute(
            text("SELECT area, age_band, population, source FROM census_populations")
        ).all()
        assert {row.area: row.population for row in rows} == CENSUS_2021
        assert {row.age_band for row in rows} == {"all"}
        assert all("Census 2021" in row.source for row in rows)
        db.session.remove()
        flask_migrate.downgrade(revision="-1")  # 0011's own downgrade, wherever it is chained
        assert "census_populations" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
