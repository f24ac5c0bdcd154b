"""The social commands that keep data in shape: rescore, purge and export."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from engage.core.extensions import db as _db
from engage.social.models import Campaign, ModerationAction, PostHashtag, SocialPost
from engage.social.services.imports import import_posts
from tests.conftest import DAILY_POST_ID
from tests.x_api import page, reply

NOW = datetime.now(UTC)


def _load(app, campaign_id, tweets):
    with app.app_context():
        campaign = _db.session.get(Campaign, campaign_id)
        report = import_posts(campaign, io.BytesIO(json.dumps(page(tweets)).encode()), "x-jsonl")
        _db.session.commit()
        return report


def test_rescore_recomputes_every_posts_sentiment(app, runner, make_campaign):
    campaign_id = make_campaign()
    _load(
        app,
        campaign_id,
        [reply(1, "What a wonderful, excellent idea #WMP2020", NOW, DAILY_POST_ID)],
    )
    with app.app_context():
        _db.session.execute(SocialPost.__table__.update().values(polarity=0.0))
        _db.session.commit()
    result = runner.invoke(args=["social", "rescore"])
    assert result.exit_code == 0, result.output
    assert "Rescored 1 posts" in result.output
    with app.app_context():
        assert _db.session.scalar(select(SocialPost.polarity)) > 0.5


def test_purge_deletes_posts_older_than_the_retention_period_with_their_notes(
    app, runner, make_campaign, make_staff
):
    campaign_id = make_campaign(starts_on=date.today() - timedelta(days=40), retention_days=30)
    _load(
        app,
        campaign_id,
        [
            reply(1, "Old reply #WMP2020 #old", NOW - timedelta(days=35), DAILY_POST_ID),
            reply(2, "Recent reply #WMP2020", NOW - timedelta(days=5), DAILY_POST_ID),
        ],
    )
    email = make_staff("comms")
    with app.app_context():
        from engage.auth.services import find_staff_by_email
        from engage.social.services.moderation import add_note

        old = _db.session.scalar(select(SocialPost).where(SocialPost.external_id == "1"))
        add_note(old, find_staff_by_email(email), "Replied by DM")
        _db.session.commit()

    result = runner.invoke(args=["social", "purge"])

    assert result.exit_code == 0, result.output
    assert "wmp2020: deleted 1 posts" in result.output
    with app.app_context():
        assert list(_db.session.scalars(select(SocialPost.external_id))) == ["2"]
        assert _db.session.scalar(select(func.count()).select_from(ModerationAction)) == 0
        assert "old" not in set(_db.session.scalars(select(PostHashtag.tag)))


def test_export_command_writes_visible_posts_with_pseudonymous_authors(
    app, runner, make_campaign, tmp_path
):
    campaign_id = make_campaign()
    _load(app, campaign_id, [reply(1, '=HYPERLINK("http://x") #WMP2020', NOW, DAILY_POST_ID)])
    out = tmp_path / "posts.csv"
    result = runner.invoke(args=["social", "export", "--campaign", "wmp2020", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 1
    assert rows[0]["author"].startswith("author-")
    assert rows[0]["text"].startswith("'=")  # a spreadsheet will not run it as a formula


def test_demo_load_adds_the_wmp2020_campaign_with_replies(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "#WMP2020 campaign: 1,600 demo replies to 7 daily questions" in result.output
    with app.app_context():
        campaign = _db.session.scalar(select(Campaign).where(Campaign.slug == "wmp2020"))
        assert campaign.is_demo and len(campaign.daily_questions) == 7
        assert (
            _db.session.scalar(select(func.count()).where(SocialPost.position.is_not(None))) > 100
        )
        from engage.surveys.services.tallies import compare_tallies

        assert compare_tallies(campaign.consultation_id) == []
