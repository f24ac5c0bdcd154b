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


def _insert_post(number: int, created_at: str, polarity: float) -> None:
    db.session.execute(
        text(
            "INSERT INTO social_posts (campaign_id, platform, external_id, author_id, "
            "author_handle, text, created_at, collected_at, like_count, reply_count, "
            "repost_count, polarity, hidden, needs_reply, possible_crime, is_demo) VALUES "
            "(1, 'x', :external, '1', 'resident', 'A post', :at, :at, 0, 0, 0, :polarity, "
            "false, :flag, false, false)"
        ),
        {"external": str(number), "at": created_at, "polarity": polarity, "flag": number % 2 == 0},
    )


def test_day_tallies_start_as_the_hour_tallies_summed_with_changes_still_waiting(scratch_url):
    from engage.social.models import Campaign
    from engage.social.services import post_tallies

    app = create_app(config_for(scratch_url))
    with app.app_context():
        flask_migrate.upgrade(revision="0090")
        db.session.execute(
            text(
                "INSERT INTO social_campaigns (id, slug, name, hashtags, starts_on, ends_on, "
                "include_retweets, monthly_read_budget, retention_days, is_demo, created_at) "
                "VALUES (1, 'wmp2020', 'Campaign', 'WMP2020', '2026-11-01', '2026-11-30', "
                "false, 1000, 365, false, CURRENT_TIMESTAMP)"
            )
        )
        times = ["2026-11-02 08:10:00", "2026-11-02 08:40:00", "2026-11-02 17:00:00"]
        for number, at in enumerate([*times, "2026-11-03 09:00:00"]):
            _insert_post(number, at, 0.5 - 0.4 * number)
        # Fold the change rows into the hour tallies as 0090's fold did (it had no days).
        columns = (
            "campaign_id, day, hour, daily_question_id, sentiment, position, hidden, posts, "
            "polarity_sum, needs_reply, possible_crime"
        )
        db.session.execute(
            text(
                f"INSERT INTO social_post_tallies ({columns}) SELECT campaign_id, day, hour, "
                "daily_question_id, sentiment, position, hidden, sum(posts), sum(polarity_sum), "
                "sum(needs_reply), sum(possible_crime) FROM social_post_tally_changes GROUP BY "
                "campaign_id, day, hour, daily_question_id, sentiment, position, hidden"
            )
        )
        db.session.execute(text("DELETE FROM social_post_tally_changes"))
        _insert_post(9, "2026-11-02 08:55:00", 0.5)  # waits for a fold as the upgrade runs
        db.session.commit()
        db.session.remove()

        flask_migrate.upgrade()
        assert _scalar("SELECT sum(posts) FROM social_post_day_tallies") == 4
        assert _scalar("SELECT count(*) FROM social_post_tally_changes") == 1
        campaign = db.session.get(Campaign, 1)
        assert post_tallies.compare(campaign) == []
        post_tallies.fold()
        db.session.commit()
        assert _scalar("SELECT sum(posts) FROM social_post_day_tallies") == 5
        assert post_tallies.compare(campaign) == []
        db.session.remove()
        flask_migrate.downgrade(revision="0090")
        assert "social_post_day_tallies" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
