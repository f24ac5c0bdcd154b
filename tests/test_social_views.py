"""Comms staff pages: campaigns, daily questions, the dashboard, moderation and exports."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engage.auth.models import Role
from engage.core.extensions import db as _db
from engage.social.models import Campaign, DailyQuestion, ModerationAction, SocialPost
from engage.social.services.imports import import_posts
from engage.surveys.models import Channel
from tests.conftest import DAILY_POST_ID
from tests.x_api import page, reply

TODAY = datetime.combine(date.today(), datetime.min.time(), UTC) + timedelta(hours=9)


@pytest.fixture
def campaign_with_posts(app, make_campaign):
    campaign_id = make_campaign()
    replies = [
        reply(201, "Yes! Brilliant idea, online reporting is great #WMP2020", TODAY, DAILY_POST_ID),
        reply(
            202,
            "No, an awful idea, I hate it #WMP2020 #police",
            TODAY + timedelta(hours=2),
            DAILY_POST_ID,
        ),
        reply(
            203,
            "Someone stole my bike from outside the shop #WMP2020",
            TODAY,
            DAILY_POST_ID,
            author_id="555",
        ),
    ]
    with app.app_context():
        campaign = _db.session.get(Campaign, campaign_id)
        import_posts(campaign, io.BytesIO(json.dumps(page(replies)).encode()), "x-jsonl")
        _db.session.commit()
    return campaign_id


def _post_id(app, external_id: str) -> int:
    with app.app_context():
        return _db.session.scalar(
            select(SocialPost.id).where(SocialPost.external_id == external_id)
        )


def test_staff_home_links_comms_staff_to_campaigns(client, login):
    login(client, Role.COMMS)
    assert "Social media campaigns" in client.get("/staff/").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.CONSULTATION, Role.REVIEWER])
def test_campaign_pages_are_denied_to_other_roles(client, login, campaign_with_posts, role):
    login(client, role)
    assert client.get("/staff/social/").status_code == 403
    assert client.get("/staff/social/wmp2020").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, campaign_with_posts):
    response = client.get("/staff/social/wmp2020")
    assert response.status_code == 302 and "/staff/login" in response.location


def test_comms_staff_create_a_campaign(client, login, app, make_consultation):
    make_consultation()
    login(client, Role.COMMS)
    response = client.post(
        "/staff/social/new",
        data={
            "name": "#WMP2020",
            "slug": "wmp2020",
            "hashtags": "#WMP2020, #WestMidsPolice",
            "starts_on": "2026-11-20",
            "ends_on": "2026-11-26",
            "consultation_id": "",
            "monthly_read_budget": "5000",
            "retention_days": "180",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        campaign = _db.session.scalar(select(Campaign))
        assert campaign.hashtags == "wmp2020 westmidspolice"
        assert campaign.monthly_read_budget == 5000


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hashtags", "#WMP-2020", "is not a hashtag"),
        ("ends_on", "2026-11-01", "end date must be on or after"),
        ("monthly_read_budget", "-1", "from 0 to 2,000,000"),
        ("retention_days", "lots", "Not a valid integer"),
        ("slug", "Not A Slug", "lower-case letters"),
        ("starts_on", "2026-02-30", "must be a real date"),
        ("consultation_id", "99999", "Not a valid choice"),
        ("name", "x" * 201, "200 characters"),
    ],
)
def test_bad_campaign_details_are_refused_and_nothing_is_stored(
    client, login, app, field, value, message
):
    login(client, Role.COMMS)
    data = {
        "name": "#WMP2020",
        "slug": "wmp2020",
        "hashtags": "#WMP2020",
        "starts_on": "2026-11-20",
        "ends_on": "2026-11-26",
        "consultation_id": "",
        "monthly_read_budget": "5000",
        "retention_days": "180",
        field: value,
    }
    response = client.post("/staff/social/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_a_daily_question_added_later_links_replies_already_stored(
    client, login, app, campaign_with_posts
):
    with app.app_context():
        campaign = _db.session.get(Campaign, campaign_with_posts)
        question_id = campaign.consultation.questions[1].id
        _db.session.execute(
            SocialPost.__table__.update().values(
                conversation_id="1870000000000000002", daily_question_id=None
            )
        )
        _db.session.commit()
    login(client, Role.COMMS)
    response = client.post(
        "/staff/social/wmp2020/daily-questions",
        data={
            "question_id": str(question_id),
            "platform": "x",
            "post_id": "1870000000000000002",
            "posted_at": TODAY.strftime("%Y-%m-%d %H:%M"),
            "text": "Should officers wear body-worn cameras? #WMP2020",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        daily = _db.session.scalar(
            select(DailyQuestion).where(DailyQuestion.post_id == "1870000000000000002")
        )
        linked = _db.session.scalar(
            select(func.count()).where(SocialPost.daily_question_id == daily.id)
        )
        assert linked == 3
        options = {o.id: o.label for o in daily.question.options}
        assert options[daily.supports_option_id] == "Agree"
        assert options[daily.opposes_option_id] == "Disagree"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("post_id", "not-digits", "digits only"),
        ("post_id", DAILY_POST_ID, "already a daily question"),
        ("posted_at", "tomorrow", "must be a date and time"),
        ("question_id", "424242", "Not a valid choice"),
        ("text", "", "Enter the post"),
    ],
)
def test_bad_daily_questions_are_refused(
    client, login, app, campaign_with_posts, field, value, message
):
    with app.app_context():
        campaign = _db.session.get(Campaign, campaign_with_posts)
        question_id = campaign.consultation.questions[1].id
    login(client, Role.COMMS)
    data = {
        "question_id": str(question_id),
        "platform": "x",
        "post_id": "1870000000000000009",
        "posted_at": "2026-11-20 09:00",
        "text": "Question text",
        field: value,
    }
    response = client.post("/staff/social/wmp2020/daily-questions", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(DailyQuestion)) == 1


def test_dashboard_shows_volume_sentiment_hashtags_and_posts(client, login, campaign_with_posts):
    login(client, Role.PCC)
    response = client.get("/staff/social/wmp2020")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<strong id="post-total">3</strong>' in html
    assert "#police: 1" in html
    assert "chart-volume-day" in html and "chart-data" in html
    assert "Someone stole my bike" in html
    assert "seven days only" in html


def test_dashboard_filters_by_sentiment_and_text(client, login, campaign_with_posts):
    login(client, Role.COMMS)
    html = client.get("/staff/social/wmp2020?sentiment=negative").get_data(as_text=True)
    assert '<strong id="post-total">1</strong>' in html
    assert "awful idea" in html and "Brilliant idea" not in html
    html = client.get("/staff/social/wmp2020?search=BIKE").get_data(as_text=True)
    assert '<strong id="post-total">1</strong>' in html


@pytest.mark.parametrize(
    "query",
    [
        "sentiment=furious",
        "date_from=yesterday",
        "question=99999",
        "show=everything",
        "date_from=2026-11-20&date_to=2026-11-01",
    ],
)
def test_dashboard_refuses_nonsense_filters(client, login, campaign_with_posts, query):
    login(client, Role.COMMS)
    assert client.get(f"/staff/social/wmp2020?{query}").status_code == 400


def test_an_empty_campaign_says_so(client, login, make_campaign):
    make_campaign()
    login(client, Role.COMMS)
    html = client.get("/staff/social/wmp2020").get_data(as_text=True)
    assert "No posts yet: collect from X or import a file" in html


def test_hiding_a_post_removes_it_from_the_export_and_keeps_it_for_audit(
    client, login, app, campaign_with_posts
):
    email = login(client, Role.COMMS)
    post_id = _post_id(app, "202")
    response = client.post(
        f"/staff/social/wmp2020/posts/{post_id}/hide", data={"hide-note": "Abusive language"}
    )
    assert response.status_code == 303
    export = client.get("/staff/social/wmp2020/posts.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(export)))
    assert {row["post_id"] for row in rows} == {"201", "203"}
    with app.app_context():
        post = _db.session.get(SocialPost, post_id)
        assert post.hidden
        action = _db.session.scalar(select(ModerationAction))
        assert (action.action, action.note, action.staff.email) == (
            "hidden",
            "Abusive language",
            email,
        )
    page_html = client.get(f"/staff/social/wmp2020/posts/{post_id}").get_data(as_text=True)
    assert "Abusive language" in page_html and email in page_html


def test_hiding_needs_a_reason(client, login, app, campaign_with_posts):
    login(client, Role.COMMS)
    post_id = _post_id(app, "202")
    response = client.post(f"/staff/social/wmp2020/posts/{post_id}/hide", data={"hide-note": ""})
    assert response.status_code == 422
    assert "Enter the reason" in response.get_data(as_text=True)
    with app.app_context():
        assert not _db.session.get(SocialPost, post_id).hidden


def test_the_export_pseudonymises_authors(client, login, app, campaign_with_posts):
    login(client, Role.COMMS)
    export = client.get("/staff/social/wmp2020/posts.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(export)))
    authors = {row["post_id"]: row["author"] for row in rows}
    assert "res63046977" not in export and "63046977" not in export
    assert authors["201"] == authors["202"] != authors["203"]
    assert authors["201"].startswith("author-")


def test_a_possible_crime_report_is_flagged_into_a_queue_with_a_signpost(
    client, login, app, campaign_with_posts
):
    login(client, Role.COMMS)
    post_id = _post_id(app, "203")
    assert (
        client.post(f"/staff/social/wmp2020/posts/{post_id}/flags/possible_crime/on").status_code
        == 303
    )
    html = client.get(f"/staff/social/wmp2020/posts/{post_id}").get_data(as_text=True)
    assert "call 101" in html
    queue = client.get("/staff/social/wmp2020?show=possible_crime").get_data(as_text=True)
    assert "Someone stole my bike" in queue and "awful idea" not in queue
    assert client.post(f"/staff/social/wmp2020/posts/{post_id}/flags/made_up/on").status_code == 400


def test_pcc_office_reads_but_cannot_moderate(client, login, app, campaign_with_posts):
    login(client, Role.PCC)
    post_id = _post_id(app, "202")
    assert client.get(f"/staff/social/wmp2020/posts/{post_id}").status_code == 200
    response = client.post(f"/staff/social/wmp2020/posts/{post_id}/hide", data={"hide-note": "x"})
    assert response.status_code == 403


def test_a_post_of_another_campaign_is_not_found(client, login, app, campaign_with_posts):
    login(client, Role.COMMS)
    assert client.get("/staff/social/wmp2020/posts/999999").status_code == 404
    assert client.get("/staff/social/nope").status_code == 404


def _tally(app, consultation_id: int) -> int:
    """Social responses as the results pages count them (tallies plus any not folded in)."""
    from engage.surveys.services.tallies import stored_tallies

    with app.app_context():
        counts = stored_tallies(consultation_id).responses
        return sum(n for (_, channel, _), n in counts.items() if channel == Channel.SOCIAL.value)


def test_confirmed_positions_count_in_the_results_as_social_answers(
    client, login, app, campaign_with_posts
):
    login(client, Role.COMMS)
    with app.app_context():
        consultation_id = _db.session.get(Campaign, campaign_with_posts).consultation_id
    supports, opposes = _post_id(app, "201"), _post_id(app, "202")
    assert (
        client.post(
            f"/staff/social/wmp2020/posts/{supports}/position", data={"position": "supports"}
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"/staff/social/wmp2020/posts/{opposes}/position", data={"position": "unclear"}
        ).status_code
        == 303
    )
    assert _tally(app, consultation_id) == 1

    results = client.get(f"/staff/consultations/{consultation_id}/results?channel=social")
    html = results.get_data(as_text=True)
    assert '<strong id="response-total">1</strong>' in html
    assert "1 social media reply is still without a position" in html

    # Changing the position moves the count; it is never counted twice.
    assert (
        client.post(
            f"/staff/social/wmp2020/posts/{supports}/position", data={"position": "opposes"}
        ).status_code
        == 303
    )
    assert _tally(app, consultation_id) == 1
    with app.app_context():
        from engage.surveys.services.tallies import compare_tallies

        assert compare_tallies(consultation_id) == []


def test_a_position_is_refused_once_results_are_published(client, login, app, make_campaign):
    from engage.surveys.models import ConsultationStatus

    campaign_id = make_campaign(status=ConsultationStatus.PUBLISHED)
    with app.app_context():
        campaign = _db.session.get(Campaign, campaign_id)
        content = json.dumps(page([reply(301, "Yes please #WMP2020", TODAY, DAILY_POST_ID)]))
        import_posts(campaign, io.BytesIO(content.encode()), "x-jsonl")
        _db.session.commit()
    login(client, Role.COMMS)
    post_id = _post_id(app, "301")
    response = client.post(
        f"/staff/social/wmp2020/posts/{post_id}/position", data={"position": "supports"}
    )
    assert response.status_code == 409
    assert _tally(app, _db_consultation(app, campaign_id)) == 0


def _db_consultation(app, campaign_id):
    with app.app_context():
        return _db.session.get(Campaign, campaign_id).consultation_id


def test_a_position_on_a_post_answering_no_question_is_refused(
    client, login, app, campaign_with_posts
):
    with app.app_context():
        _db.session.execute(SocialPost.__table__.update().values(daily_question_id=None))
        _db.session.commit()
    login(client, Role.COMMS)
    post_id = _post_id(app, "201")
    response = client.post(
        f"/staff/social/wmp2020/posts/{post_id}/position", data={"position": "supports"}
    )
    assert response.status_code == 409
    assert "does not reply to a daily question" in response.get_data(as_text=True)


def test_staff_home_counts_what_waits_in_a_current_campaign(
    client, login, app, campaign_with_posts
):
    login(client, Role.COMMS)
    post_id = _post_id(app, "203")
    client.post(f"/staff/social/wmp2020/posts/{post_id}/flags/possible_crime/on")
    home = client.get("/staff/").get_data(as_text=True)
    assert "Campaign: #WMP2020 daily questions" in home
    assert re.search(r"<strong>1</strong> possible crime reports", home)
    assert "show=possible_crime" in home
    assert "0 replies need an answer" in home
    assert re.search(r"<strong>3</strong> replies wait for a position", home)
