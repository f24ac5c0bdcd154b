"""The dashboard's top terms (counted after a reply, shown with their age) and code counts."""

from datetime import timedelta

from sqlalchemy import func, select, update

from engage.analysis.text import stored_terms, top_stored_terms, top_terms
from engage.auth.models import Role, StaffUser
from engage.coding import services as coding
from engage.core.db_types import utcnow
from engage.core.extensions import db as _db
from engage.social import jobs as social_jobs
from engage.social.models import Campaign, SocialPost, TopTerms
from engage.social.services import moderation
from engage.social.services import top_terms as terms_service
from engage.social.services.dashboard_figures import PostFilters
from tests.test_social_post_tallies import TEXTS, _posts, _store

PAGE = "/staff/social/wmp2020"


def _staff() -> StaffUser:
    user = StaffUser(email="coder@example.org", name="", role=Role.COMMS, password_hash="x")
    _db.session.add(user)
    _db.session.flush()
    return user


def test_terms_kept_with_posts_count_as_terms_split_from_their_text():
    texts = [*TEXTS, "Officers officers OFFICERS on the street, #police http://x.co", ""]
    assert dict(top_stored_terms(stored_terms(text) for text in texts)) == dict(top_terms(texts))


def test_first_view_counts_the_terms_after_its_reply_and_the_next_shows_them(
    db, client, login, make_campaign, monkeypatch
):
    monkeypatch.setattr(social_jobs, "_terms_scheduled", {})
    _store(make_campaign(), _posts(0, 10))
    login(client, Role.COMMS)
    # buffered: the test client then closes the reply as a server does once it is sent
    first = client.get(PAGE, buffered=True).get_data(as_text=True)
    assert "The top terms for these filters are being counted now" in first
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(SocialPost.terms.is_(None))) == 0
    page = client.get(PAGE).get_data(as_text=True)
    assert "idea: 4" in page and "awful: 2" in page
    assert "over the newest 10 posts that matched then" in page
    assert "being counted now" not in page


def test_terms_older_than_the_maximum_age_are_shown_as_such_and_recounted(
    app, db, client, login, make_campaign, monkeypatch
):
    monkeypatch.setattr(social_jobs, "_terms_scheduled", {})
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 10))
    campaign = db.session.get(Campaign, campaign_id)
    terms_service.count_terms(campaign, PostFilters())
    db.session.commit()
    _store(campaign_id, _posts(10, 5))
    long_ago = utcnow() - timedelta(hours=2)
    db.session.execute(update(TopTerms).values(counted_at=long_ago))
    db.session.commit()
    login(client, Role.COMMS)
    page = client.get(PAGE, buffered=True).get_data(as_text=True)
    assert "idea: 4" in page  # the old count, stated as old
    assert "Being recounted now" in page
    db.session.expire_all()
    counted = db.session.scalar(select(TopTerms))
    assert counted.posts_read == 15 and counted.counted_at > long_ago
    assert "Being recounted now" not in client.get(PAGE).get_data(as_text=True)


def test_terms_are_counted_for_each_set_of_filters_apart(db, make_campaign):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 10))
    campaign = db.session.get(Campaign, campaign_id)
    everything = terms_service.count_terms(campaign, PostFilters())
    negative = terms_service.count_terms(campaign, PostFilters(search="awful"))
    db.session.commit()
    assert dict(everything.terms)["idea"] == 4
    assert dict(negative.terms) == {"awful": 2, "idea": 2}
    assert db.session.scalar(select(func.count()).select_from(TopTerms)) == 2
    again = terms_service.counted_terms(campaign, PostFilters(search="awful"), max_age=60)
    assert again.terms == negative.terms and not again.stale


def test_a_campaign_without_a_code_frame_says_so(db, client, login, make_campaign):
    _store(make_campaign(), _posts(0, 5))
    login(client, Role.COMMS)
    page = client.get(PAGE).get_data(as_text=True)
    assert "No code frame for this campaign yet" in page
    assert 'id="chart-codes"' not in page


def test_code_counts_show_visible_posts_by_people_and_suggested(db, client, login, make_campaign):
    campaign_id = make_campaign()
    _store(campaign_id, _posts(0, 6))
    campaign = db.session.get(Campaign, campaign_id)
    staff = _staff()
    frame = coding.frame_for_campaign(campaign)
    praise = coding.accept_theme(frame, "Praise", staff)
    worry = coding.accept_theme(frame, "Worry", staff)
    coding.accept_theme(frame, "Unused", staff)
    posts = list(db.session.scalars(select(SocialPost).order_by(SocialPost.id)))
    coding.assign_codes(frame, staff, [praise.id, worry.id], post_id=posts[0].id)
    coding.assign_codes(frame, staff, [praise.id], post_id=posts[1].id)
    coding.assign_codes(frame, staff, [praise.id], post_id=posts[2].id)
    coding.store_machine_codes(frame, {worry.id: 0.9}, post_id=posts[3].id)
    moderation.hide_post(posts[2], staff, "abusive")
    db.session.commit()
    login(client, Role.COMMS)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'id="chart-codes"' in page
    table = page[page.index('id="code-table"') :]
    assert (
        '<th scope="row">Praise</th><td class="numeric">2</td>'
        '<td class="numeric">0</td><td class="numeric">2</td>'
    ) in table
    assert (
        '<th scope="row">Worry</th><td class="numeric">1</td>'
        '<td class="numeric">1</td><td class="numeric">2</td>'
    ) in table
    assert '<th scope="row">Unused</th><td class="numeric">0</td>' in table
