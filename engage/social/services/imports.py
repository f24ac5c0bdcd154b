"""Importing posts from files, streamed in batches so a million lines need little memory."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.social.models import Campaign, CollectionRun, RunStatus
from engage.social.services.readers import Read, read_posts
from engage.social.services.storage import CampaignWindow, IncomingPost, store_posts

BATCH_SIZE = 1000
# Reasons kept for the report; the count of rejected rows is always complete.
MAX_REASONS_KEPT = 1000


@dataclass
class ImportReport:
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    reasons: list[tuple[int, str]] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.reasons) < MAX_REASONS_KEPT:
            self.reasons.append((line, reason))

    def summary(self, stored: str = "imported") -> str:
        return (
            f"{self.stored:,} posts {stored}, {self.duplicates:,} duplicates skipped, "
            f"{self.rejected:,} rows rejected"
        )


def start_run(campaign: Campaign, source: str) -> CollectionRun:
    run = CollectionRun(campaign_id=campaign.id, source=source)
    db.session.add(run)
    db.session.flush()
    return run


def finish_run(run: CollectionRun, status: RunStatus, report: ImportReport, message: str) -> None:
    run.status = status
    run.finished_at = utcnow()
    run.posts_read = report.read
    run.stored = report.stored
    run.duplicates = report.duplicates
    run.rejected = report.rejected
    run.message = message[:1000]
    db.session.flush()


def import_posts(
    campaign: Campaign,
    stream: BinaryIO,
    file_format: str,
    after_batch: Callable[[int], None] = lambda position: None,
    *,
    report: ImportReport | None = None,
    is_demo: bool = False,
) -> ImportReport:
    """Read posts from `stream`, store the good ones in batches and report on every row.

    `after_batch` is called with the stream's byte position after each batch is flushed, so the
    caller can commit and show progress: a run that stops half way keeps what it stored, and
    running it again skips those posts as duplicates. Pass `report` to keep the counts of a run
    that stops with a DomainError (a file that stops being UTF-8).
    """
    window = CampaignWindow(campaign)
    report = report if report is not None else ImportReport()
    reads = read_posts(stream, file_format)
    position = stream.tell if stream.seekable() else lambda: 0
    store_reads(window, reads, report, lambda: after_batch(position()), is_demo=is_demo)
    return report


def store_reads(
    window: CampaignWindow,
    reads: Iterable[Read],
    report: ImportReport,
    after_batch: Callable[[], None],
    *,
    is_demo: bool = False,
) -> None:
    """Check each read post against the campaign and store them a batch at a time."""
    batch: list[IncomingPost] = []
    for line, item in reads:
        report.read += 1
        if isinstance(item, str):
            report.reject(line, item)
            continue
        problem = window.problem_with(item)
        if problem:
            report.reject(line, f"post {item.external_id[:40]}: {problem}")
            continue
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            _store(window, batch, report, is_demo)
            after_batch()
            batch = []
    if batch:
        _store(window, batch, report, is_demo)
        after_batch()


def _store(window: CampaignWindow, batch: list[IncomingPost], report: ImportReport, is_demo):
    outcome = store_posts(window, batch, is_demo=is_demo)
    report.stored += outcome.stored
    report.duplicates += outcome.duplicates
