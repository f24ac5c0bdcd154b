"""Moderation at campaign scale: many posts at once, save and next, the original post."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engage.auth.models import Role
from engage.core.extensions import db as _db
from engage.social.models import Campaign, SocialPost
from engage.social.services.imports import import_posts
from tests.conftest import DAILY_POST_ID
from tests.x_api import page, reply

START = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=5)
BULK = "/staff/social/wmp2020/posts/bulk"


@pytest.fixture
def replies(app, make_campaign):
    campaign_id = make_campaign()
    posts = [
        reply(300 + n, f"Reply number {n} #WMP2020", START + timedelta(minutes=n), DAILY_POST_ID)
        for n in range(4)
    ]
    with app.app_context():
        campaign = _db.session.get(Campaign, campaign_id)
        import_posts(campaign, io.BytesIO(json.dumps(page(posts)).encode()), "x-jsonl")
        _db.session.commit()
        return [
            _db.session.scalar(select(SocialPost.id).where(SocialPost.external_id == str(300 + n)))
            for n in range(4)
        ]


def _posts(app) -> dict[int, SocialPost]:
    with app.app_context():
        return {post.id: post for post in _db.session.scalars(select(SocialPost))}


def test_ticked_replies_get_a_position_together_and_count_once_each(client, login, app, replies):
    login(client, Role.COMMS)
    dashboard = client.get("/staff/social/wmp2020?show=unclassified").get_data(as_text=True)
    assert 'name="post_ids"' in dashboard and "Apply to the ticked posts" in dashboard
    done = client.post(
        BULK,
        data={
            "post_ids": [str(i) for i in replies[:3]],
            "action": "position:supports",
            "return_to": "/staff/social/wmp2020?show=unclassified",
        },
    )
    assert done.status_code == 303 and done.location.endswith("?show=unclassified")
    posts = _posts(app)
    assert [posts[i].position for i in replies] == ["supports", "supports", "supports", None]
    assert all(posts[i].response_id for i in replies[:3])
    assert "Done for 3 posts." in client.get(done.location).get_data(as_text=True)


def test_hiding_many_needs_a_reason_and_a_refusal_changes_nothing(client, login, app, replies):
    login(client, Role.COMMS)
    ids = [str(i) for i in replies[:2]]
    refused = client.post(BULK, data={"post_ids": ids, "action": "hide"}, follow_redirects=True)
    assert "Enter the reason for hiding" in refused.get_data(as_text=True)
    assert not any(post.hidden for post in _posts(app).values())

    client.post(BULK, data={"post_ids": ids[:1], "action": "hide", "reason": "Abusive"})
    again = client.post(
        BULK, data={"post_ids": ids, "action": "hide", "reason": "Spam"}, follow_redirects=True
    )
    assert "Nothing was changed" in again.get_data(as_text=True)
    assert [_posts(app)[int(i)].hidden for i in ids] == [True, False]  # all or nothing


def test_bulk_actions_refuse_nothing_ticked_unknown_actions_and_other_campaigns_posts(
    client, login, replies
):
    login(client, Role.COMMS)
    nothing = client.post(BULK, data={"action": "needs_reply"}, follow_redirects=True)
    assert "Tick at least one post." in nothing.get_data(as_text=True)
    unknown = client.post(
        BULK, data={"post_ids": [str(replies[0])], "action": "delete"}, follow_redirects=True
    )
    assert "Choose what to do with the ticked posts" in unknown.get_data(as_text=True)
    assert (
        client.post(BULK, data={"post_ids": ["999999"], "action": "needs_reply"}).status_code == 404
    )
    assert (
        client.post(
            BULK,
            data={
                "post_ids": [str(replies[0])],
                "action": "needs_reply",
                "return_to": "https://evil.example/",
            },
        ).location
        == "/staff/social/wmp2020"
    )


def test_the_pcc_office_cannot_moderate_in_bulk(client, login, replies):
    login(client, Role.PCC)
    assert 'name="post_ids"' not in client.get("/staff/social/wmp2020").get_data(as_text=True)
    assert (
        client.post(BULK, data={"post_ids": [str(replies[0])], "action": "needs_reply"}).status_code
        == 403
    )


def test_save_and_next_goes_to_the_next_reply_waiting_and_links_to_x(client, login, app, replies):
    login(client, Role.COMMS)
    first = f"/staff/social/wmp2020/posts/{replies[0]}"
    page_html = client.get(first).get_data(as_text=True)
    assert "https://x.com/i/web/status/300" in page_html
    saved = client.post(f"{first}/position", data={"position": "opposes", "then": "next"})
    assert saved.location.endswith(f"/posts/{replies[1]}")
    for post_id in replies[1:3]:
        client.post(f"/staff/social/wmp2020/posts/{post_id}/position", data={"position": "mixed"})
    last = client.post(
        f"/staff/social/wmp2020/posts/{replies[3]}/position",
        data={"position": "unclear", "then": "next"},
    )
    assert last.location.endswith("/staff/social/wmp2020?show=unclassified")
