"""The dashboard's list of posts: newest first, ties by id, visible or hidden, from its index."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from engage.auth.models import Role, StaffUser
from engage.core.extensions import db as _db
from engage.social.models import Campaign, Platform, SocialPost
from engage.social.services import moderation
from engage.social.services.dashboard import POSTS_PER_PAGE, PostFilters, list_posts
from engage.social.services.storage import CampaignWindow, IncomingPost, store_posts

START = datetime.combine(date.today() - timedelta(days=2), datetime.min.time(), UTC)


def _store_posts(campaign_id: int, count: int) -> list[int]:
    """Posts in pairs that share a time, so the list's order depends on its tie-break too."""
    posts = [
        IncomingPost(
            platform=Platform.X,
            external_id=str(1_990_000_000 + number),
            created_at=START + timedelta(minutes=number // 2),
            text=f"Post number {number} #WMP2020",
            author_id="1",
        )
        for number in range(count)
    ]
    store_posts(CampaignWindow(_db.session.get(Campaign, campaign_id)), posts)
    _db.session.commit()
    return list(_db.session.scalars(select(SocialPost.id).order_by(SocialPost.id)))


def _listed(campaign_id: int, filters: PostFilters, page: int = 1) -> list[int]:
    campaign = _db.session.get(Campaign, campaign_id)
    return [post.id for post in list_posts(campaign, filters, page, total=0).items]


def _newest_first(posts: list[SocialPost]) -> list[int]:
    return [post.id for post in sorted(posts, key=lambda p: (p.created_at, p.id), reverse=True)]


def test_the_list_pages_newest_first_and_breaks_ties_by_id(db, make_campaign):
    campaign_id = make_campaign()
    _store_posts(campaign_id, POSTS_PER_PAGE + 9)
    expected = _newest_first(list(_db.session.scalars(select(SocialPost))))
    assert _listed(campaign_id, PostFilters()) == expected[:POSTS_PER_PAGE]
    assert _listed(campaign_id, PostFilters(), page=2) == expected[POSTS_PER_PAGE:]


def test_hidden_posts_leave_the_list_for_the_hidden_list(db, make_campaign, make_staff):
    campaign_id = make_campaign()
    ids = _store_posts(campaign_id, 12)
    admin = _db.session.scalar(select(StaffUser).where(StaffUser.email == make_staff(Role.ADMIN)))
    for post_id in ids[3:6]:
        moderation.hide_post(_db.session.get(SocialPost, post_id), admin, "Abusive language")
    _db.session.commit()
    posts = list(_db.session.scalars(select(SocialPost)))
    assert _listed(campaign_id, PostFilters(show="hidden")) == _newest_first(
        [post for post in posts if post.hidden]
    )
    assert _listed(campaign_id, PostFilters()) == _newest_first(
        [post for post in posts if not post.hidden]
    )


def test_the_page_lists_the_newest_posts_and_counts_them_all(db, client, login, make_campaign):
    campaign_id = make_campaign()
    _store_posts(campaign_id, POSTS_PER_PAGE + 3)
    login(client, Role.COMMS)
    page = client.get("/staff/social/wmp2020").get_data(as_text=True)
    assert f"Post number {POSTS_PER_PAGE + 2} #WMP2020" in page
    assert "Post number 0 #WMP2020" not in page
    assert f">{POSTS_PER_PAGE + 3}<" in page
    second = client.get("/staff/social/wmp2020?page=2").get_data(as_text=True)
    assert "Post number 0 #WMP2020" in second
