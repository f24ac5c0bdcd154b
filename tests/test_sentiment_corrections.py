"""Staff correcting a post's or comment's sentiment: stored apart, counted, polarity kept."""

import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from engage.auth.models import Role
from engage.core.extensions import db as _db
from engage.sentiment.corrections import (
    SentimentCorrection,
    campaign_correction_counts,
    consultation_correction_counts,
)
from engage.social.models import Campaign, SocialPost
from engage.social.services.imports import import_posts
from engage.surveys.models import Answer, QuestionKind
from engage.surveys.services import tallies
from tests.conftest import DAILY_POST_ID
from tests.x_api import page, reply


@pytest.fixture
def posts(app, make_campaign):
    """A campaign with a praising and a complaining reply; returns (campaign id, {text: id})."""
    campaign_id = make_campaign()
    now = datetime.now(UTC)
    tweets = [
        reply(301, "Brilliant, wonderful idea #WMP2020", now, DAILY_POST_ID),
        reply(302, "Awful, a total waste of money #WMP2020", now, DAILY_POST_ID),
    ]
    with app.app_context():
        campaign = _db.session.get(Campaign, campaign_id)
        import_posts(campaign, io.BytesIO(json.dumps(page(tweets)).encode()), "x-jsonl")
        _db.session.commit()
        ids = dict(_db.session.execute(select(SocialPost.external_id, SocialPost.id)).all())
    return campaign_id, {"praise": ids["301"], "complaint": ids["302"]}


@pytest.fixture
def comments(app, make_consultation, make_response):
    """A consultation with two scored comments; returns (consultation id, question id, ids)."""
    consultation_id = make_consultation(kinds=(QuestionKind.FREE_TEXT,))
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Wonderful, helpful officers"})
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Terrible, awful response times"})
    with app.app_context():
        tallies.fold_batch()
        _db.session.commit()
        rows = _db.session.execute(select(Answer.text, Answer.id, Answer.question_id)).all()
    ids = {text.split(",")[0].lower(): answer_id for text, answer_id, _ in rows}
    return consultation_id, rows[0].question_id, ids


def _comments_url(comments) -> str:
    consultation_id, question_id, _ = comments
    return f"/staff/consultations/{consultation_id}/questions/{question_id}/comments"


def _count(app) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(SentimentCorrection))


def _polarities(app) -> dict:
    with app.app_context():
        return dict(_db.session.execute(select(SocialPost.id, SocialPost.polarity)).all())


def test_comms_staff_correct_a_post_apart_from_its_polarity(app, client, login, posts):
    campaign_id, ids = posts
    email = login(client, Role.COMMS)
    before = _polarities(app)
    url = f"/staff/social/wmp2020/posts/{ids['praise']}"

    sent = client.post(url + "/sentiment", data={"sentiment-label": "negative"})

    assert sent.status_code == 303
    assert _polarities(app) == before
    page_html = client.get(url).get_data(as_text=True)
    assert "staff read it as <strong>negative</strong>" in page_html and email in page_html
    dashboard = client.get("/staff/social/wmp2020").get_data(as_text=True)
    assert (
        "Staff have checked the sentiment of 1 post: they agreed with the model on 0 and "
        "corrected 1." in dashboard
    )
    with app.app_context():
        correction = _db.session.scalar(select(SentimentCorrection))
        assert (correction.label, correction.model_label) == ("negative", "positive")
        assert correction.model_polarity == before[ids["praise"]]


def test_correcting_a_post_again_replaces_the_correction(app, client, login, posts):
    campaign_id, ids = posts
    login(client, Role.COMMS)
    url = f"/staff/social/wmp2020/posts/{ids['complaint']}/sentiment"

    client.post(url, data={"sentiment-label": "neutral"})
    client.post(url, data={"sentiment-label": "negative"})

    assert _count(app) == 1
    with app.app_context():
        counts = campaign_correction_counts(campaign_id)
    assert (counts.total, counts.agreed, counts.disagreed) == (1, 1, 0)


@pytest.mark.parametrize("label", ["furious", ""])
def test_a_post_correction_with_a_bad_label_says_why_and_stores_nothing(
    app, client, login, posts, label
):
    _, ids = posts
    login(client, Role.COMMS)

    sent = client.post(
        f"/staff/social/wmp2020/posts/{ids['praise']}/sentiment", data={"sentiment-label": label}
    )

    assert sent.status_code in (400, 422)
    assert "Choose positive, neutral or negative" in sent.get_data(as_text=True)
    assert _count(app) == 0


def test_only_comms_staff_correct_posts(app, client, login, posts):
    _, ids = posts
    login(client, Role.PCC)

    sent = client.post(
        f"/staff/social/wmp2020/posts/{ids['praise']}/sentiment",
        data={"sentiment-label": "negative"},
    )

    assert sent.status_code == 403
    assert _count(app) == 0


def test_correcting_a_post_that_does_not_exist_is_not_found(app, client, login, posts):
    login(client, Role.COMMS)

    sent = client.post(
        "/staff/social/wmp2020/posts/999999/sentiment", data={"sentiment-label": "negative"}
    )

    assert sent.status_code == 404
    assert _count(app) == 0


def test_consultation_staff_correct_a_comment_and_see_it_listed(app, client, login, comments):
    consultation_id, _, ids = comments
    login(client, Role.CONSULTATION)
    base = _comments_url(comments)

    sent = client.post(f"{base}/{ids['wonderful']}/sentiment", data={"label": "neutral"})
    client.post(f"{base}/{ids['terrible']}/sentiment", data={"label": "negative"})

    assert sent.status_code == 303 and sent.headers["Location"].endswith(base)
    listed = client.get(base).get_data(as_text=True)
    assert "<strong>Neutral</strong>" in listed
    with app.app_context():
        counts = consultation_correction_counts(consultation_id)
        polarity = _db.session.get(Answer, ids["wonderful"]).polarity
    assert (counts.total, counts.agreed, counts.disagreed) == (2, 1, 1)
    assert polarity > 0.05  # still the model's
    assert (
        "Staff have checked the sentiment of 2 comments of this consultation: they agreed with "
        "the model on 1 and corrected 1." in listed
    )


def test_comment_corrections_refuse_bad_input_and_store_nothing(
    app, client, login, comments, make_consultation
):
    _, question_id, ids = comments
    other = make_consultation(slug="other", kinds=(QuestionKind.FREE_TEXT,))
    login(client, Role.CONSULTATION)
    base = _comments_url(comments)

    bad_label = client.post(f"{base}/{ids['wonderful']}/sentiment", data={"label": "angry"})
    unknown = client.post(f"{base}/999999/sentiment", data={"label": "neutral"})
    elsewhere = client.post(
        f"/staff/consultations/{other}/questions/{question_id}/comments/{ids['wonderful']}"
        "/sentiment",
        data={"label": "neutral"},
    )

    assert bad_label.status_code == 400
    assert "Choose positive, neutral or negative" in bad_label.get_data(as_text=True)
    assert unknown.status_code == 404
    assert "That comment is not in this consultation" in unknown.get_data(as_text=True)
    assert elsewhere.status_code == 404
    assert _count(app) == 0


def test_a_comment_not_scored_yet_cannot_be_corrected(
    app, client, login, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=(QuestionKind.FREE_TEXT,))
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Just arrived"})
    with app.app_context():
        answer_id, question_id = _db.session.execute(select(Answer.id, Answer.question_id)).one()
    login(client, Role.CONSULTATION)
    url = f"/staff/consultations/{consultation_id}/questions/{question_id}/comments"

    sent = client.post(f"{url}/{answer_id}/sentiment", data={"label": "neutral"})

    assert sent.status_code == 409
    assert "not been scored yet" in sent.get_data(as_text=True)
    assert _count(app) == 0


def test_only_consultation_staff_correct_comments(app, client, login, comments):
    login(client, Role.COMMS)
    base = _comments_url(comments)

    sent = client.post(f"{base}/{comments[2]['wonderful']}/sentiment", data={"label": "neutral"})

    assert sent.status_code == 403
    assert "Correct the sentiment" not in client.get(base).get_data(as_text=True)
    assert _count(app) == 0
