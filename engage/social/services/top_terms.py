"""The dashboard's top terms: counted over the newest matching posts after a reply, kept with
the time they were counted, and shown with it.

Counting terms means reading the newest TERMS_SAMPLE posts that match the filters (and
splitting the text of those that have not kept their terms yet), too slow to do on every view
at a million posts. So a view shows the terms last counted for its filters, and when they are
older than TOP_TERMS_MAX_AGE_SECONDS (or missing) it recounts them once its reply has gone.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import case, delete, select, update

from engage.analysis.text import stored_terms, top_stored_terms
from engage.bulk_updates import set_by_id
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.core.rows import rows_affected
from engage.social.models import Campaign, SocialPost, TopTerms
from engage.social.services.dashboard import post_conditions
from engage.social.services.dashboard_figures import PostFilters

TERMS_SAMPLE = 5000
TERMS_SHOWN = 20
FORGET_AFTER = timedelta(days=7)  # counts for filters nobody has viewed since


@dataclass
class CountedTerms:
    terms: list[tuple[str, int]]
    counted_at: datetime | None  # None: never counted for these filters
    posts_read: int
    stale: bool


def filters_key(filters: PostFilters) -> str:
    return urlencode(sorted((name, value) for name, value in filters.as_args().items() if value))


def counted_terms(campaign: Campaign, filters: PostFilters, max_age: float) -> CountedTerms:
    """The terms last counted for these filters; `stale` when older than `max_age` seconds."""
    row = db.session.scalar(
        select(TopTerms).where(
            TopTerms.campaign_id == campaign.id, TopTerms.filters_key == filters_key(filters)
        )
    )
    if row is None:
        return CountedTerms([], None, 0, stale=True)
    terms = [(term, count) for term, count in json.loads(row.terms)]
    age = utcnow() - row.counted_at
    return CountedTerms(terms, row.counted_at, row.posts_read, age.total_seconds() > max_age)


def count_terms(campaign: Campaign, filters: PostFilters) -> CountedTerms:
    """Count the commonest terms of the newest TERMS_SAMPLE matching posts and keep them."""
    rows = db.session.execute(
        select(SocialPost.id, SocialPost.terms, case((SocialPost.terms.is_(None), SocialPost.text)))
        .where(*post_conditions(campaign, filters))
        .order_by(SocialPost.created_at.desc())
        .limit(TERMS_SAMPLE)
    ).all()
    split: dict[int, str] = {}
    kept = []
    for post_id, terms, text in rows:
        if terms is None:
            terms = split[post_id] = stored_terms(text)
        kept.append(terms)
    keep_terms(split)
    campaign_tags = set(campaign.hashtag_list)
    top = top_stored_terms(kept, TERMS_SHOWN + 5)
    terms = [(term, n) for term, n in top if term not in campaign_tags][:TERMS_SHOWN]
    now = utcnow()
    key = filters_key(filters)
    db.session.execute(
        delete(TopTerms).where(
            TopTerms.counted_at < now - FORGET_AFTER, TopTerms.filters_key != key
        )
    )
    values = {"counted_at": now, "posts_read": len(rows), "terms": json.dumps(terms)}
    stored = rows_affected(
        update(TopTerms)
        .where(TopTerms.campaign_id == campaign.id, TopTerms.filters_key == key)
        .values(**values)
    )
    if not stored:
        db.session.add(TopTerms(campaign_id=campaign.id, filters_key=key, **values))
    db.session.flush()
    return CountedTerms(terms, now, len(rows), stale=False)


def keep_terms(terms: dict[int, str]) -> None:
    """Keep posts' terms, split from their text, so no count splits them again (splitting is
    the slow part of counting terms: about a millisecond a post)."""
    set_by_id(SocialPost, "terms", terms, str)
