"""Collecting a campaign's posts from X's recent search, incrementally and within budget.

The newest post id stored is kept per campaign and passed as `since_id` next time. It moves
forward only after every page of a run is stored, so a run that crashes or gives up half way
is simply run again: it re-reads the same posts, and storage skips the ones it already has.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from engage.core.db_types import utcnow
from engage.social.models import Campaign, CollectionRun, RunStatus
from engage.social.services.campaigns import RECENT_SEARCH_REACH, reads_this_month
from engage.social.services.imports import ImportReport, finish_run, start_run, store_reads
from engage.social.services.readers import posts_in_page
from engage.social.services.storage import CampaignWindow
from engage.social.x_client import XClient, XError


def search_query(campaign: Campaign) -> str:
    """The recent-search query for a campaign's hashtags: `(#a OR #b) -is:retweet`."""
    tags = " OR ".join(f"#{tag}" for tag in campaign.hashtag_list)
    query = f"({tags})" if len(campaign.hashtag_list) > 1 else tags
    return query if campaign.include_retweets else f"{query} -is:retweet"


def _campaign_starts(campaign: Campaign) -> datetime:
    return datetime.combine(campaign.starts_on, datetime.min.time(), UTC)


def reach_warning(campaign: Campaign, now: datetime) -> str | None:
    """Say so when part of the campaign is older than recent search can reach."""
    earliest = now - RECENT_SEARCH_REACH
    if campaign.newest_x_id is None and _campaign_starts(campaign) < earliest:
        return (
            f"X's recent search reaches back seven days only, to {earliest:%-d %B %Y %H:%M} UTC. "
            "Posts from before then cannot be collected: import them from a file."
        )
    return None


@dataclass
class CollectionOutcome:
    run: CollectionRun
    estimate: int
    warning: str | None


def collect_from_x(
    campaign: Campaign,
    client: XClient,
    after_page: Callable[[CollectionRun], None] = lambda run: None,
    on_estimate: Callable[[int], None] = lambda estimate: None,
    *,
    now: datetime | None = None,
) -> CollectionOutcome:
    """Read the campaign's new posts from X and store them, a page at a time.

    `after_page` is called after each page is flushed, so the caller commits and shows
    progress. Raises XError (with the run recorded as failed) when X cannot be used, and
    returns a stopped run when the month's read budget would be exceeded.
    """
    now = now or utcnow()
    query = search_query(campaign)
    since_id = campaign.newest_x_id
    start_time = _start_time(campaign, now) if since_id is None else None
    run = start_run(campaign, "x-api")
    report = ImportReport()
    remaining = campaign.monthly_read_budget - reads_this_month(campaign, now)
    warning = reach_warning(campaign, now)
    try:
        estimate = client.count_recent(query, since_id, start_time)
        on_estimate(estimate)
        if estimate > remaining:
            message = (
                f"Stopped before reading: X estimates {estimate:,} new posts, but only "
                f"{max(remaining, 0):,} of this month's {campaign.monthly_read_budget:,} reads "
                "are left. Raise the campaign's monthly read budget or wait for next month."
            )
            finish_run(run, RunStatus.STOPPED, report, message)
            return CollectionOutcome(run, estimate, warning)
        newest = _read_pages(
            campaign, client, (query, since_id, start_time), run, report, remaining, after_page
        )
    except XError as error:
        finish_run(run, RunStatus.FAILED, report, error.message)
        raise
    if newest is _BUDGET_REACHED:
        message = (
            f"Stopped at this month's read budget of {campaign.monthly_read_budget:,} posts after "
            f"reading {report.read:,}. The posts read are stored; the rest wait for next month "
            "or a larger budget."
        )
        finish_run(run, RunStatus.STOPPED, report, message)
        return CollectionOutcome(run, estimate, warning)
    if newest and (campaign.newest_x_id is None or int(newest) > int(campaign.newest_x_id)):
        campaign.newest_x_id = newest
    finish_run(run, RunStatus.COMPLETED, report, report.summary(stored="stored"))
    return CollectionOutcome(run, estimate, warning)


_BUDGET_REACHED = object()


def _read_pages(campaign, client, search, run, report, remaining, after_page):
    """Store every page; return the newest id seen, or _BUDGET_REACHED."""
    window = CampaignWindow(campaign)
    newest = None
    for number, page in enumerate(client.search_pages(*search), start=1):
        meta = page.get("meta") or {}
        if newest is None:
            newest = meta.get("newest_id")
        reads = ((number, item) for item in posts_in_page(page))
        store_reads(window, reads, report, lambda: None)
        run.posts_read = report.read
        run.stored = report.stored
        after_page(run)
        if report.read >= remaining and meta.get("next_token"):
            return _BUDGET_REACHED
    return newest


def _start_time(campaign: Campaign, now: datetime) -> datetime | None:
    """On a first collection, skip posts from before the campaign when search can reach them."""
    starts = _campaign_starts(campaign)
    return starts if starts > now - RECENT_SEARCH_REACH else None
