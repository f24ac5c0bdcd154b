"""Enforcing the retention schedule: delete or anonymise what is past its period, and log it.

Each class has one function that counts (for a dry run) or acts, given the cutoff. The log
says which class, how many, when and under which rule; never what was removed.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from engage.activecitizens.services import retention as grant_retention
from engage.core.db_types import utcnow
from engage.core.extensions import db
from engage.core.rows import rows_affected
from engage.privacy import schedule
from engage.privacy.models import DeletionLog, PersonalDataAccess
from engage.privacy.schedule import DataClass
from engage.social.services import privacy as social_privacy
from engage.surveys.services import retention as survey_retention


@dataclass
class Outcome:
    data_class: DataClass
    days: int
    count: int
    held: int = 0  # past the period but kept on legal hold

    @property
    def rule(self) -> str:
        return (
            f"Retention schedule: {self.data_class.key} {self.data_class.action} "
            f"{self.days:,} days after {self.data_class.starts}"
        )[:300]


def _survey_answers(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    return survey_retention.anonymise_responses_before(cutoff, dry_run), 0


def _contact_details(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    return survey_retention.end_updates_published_before(cutoff, dry_run), 0


def _prize_draw_entries(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    return survey_retention.end_draw_entries_drawn_before(cutoff, dry_run), 0


def _social_posts(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    if dry_run:
        return social_privacy.count_posts_before(cutoff), 0
    return social_privacy.purge_posts_before(cutoff), 0


def _grant_records(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    return grant_retention.anonymise_ended_before(cutoff, dry_run)


def _audit_logs(cutoff: datetime, dry_run: bool) -> tuple[int, int]:
    old = PersonalDataAccess.at < cutoff
    if dry_run:
        return db.session.execute(select(func.count()).where(old)).scalar_one(), 0
    return rows_affected(delete(PersonalDataAccess).where(old)), 0


ENFORCERS: dict[str, Callable[[datetime, bool], tuple[int, int]]] = {
    schedule.SURVEY_ANSWERS.key: _survey_answers,
    schedule.CONTACT_DETAILS.key: _contact_details,
    schedule.PRIZE_DRAW.key: _prize_draw_entries,
    schedule.SOCIAL_POSTS.key: _social_posts,
    schedule.GRANT_RECORDS.key: _grant_records,
    schedule.AUDIT_LOGS.key: _audit_logs,
}


def enforce_retention(now: datetime | None = None, dry_run: bool = False) -> Iterator[Outcome]:
    """Apply each class's period in turn, yielding what was (or, dry, would be) done.

    The caller commits after each class, so a long run keeps what it has done."""
    now = now or utcnow()
    periods = schedule.retention_days()
    for data_class in schedule.CLASSES:
        days = periods[data_class.key]
        count, held = ENFORCERS[data_class.key](now - timedelta(days=days), dry_run)
        outcome = Outcome(data_class, days, count, held)
        if not dry_run and count:
            db.session.add(
                DeletionLog(
                    data_class=data_class.key,
                    action=data_class.action,
                    count=count,
                    rule=outcome.rule,
                )
            )
            db.session.flush()
        yield outcome


def recent_deletions(limit: int = 50) -> list[DeletionLog]:
    return list(
        db.session.scalars(select(DeletionLog).order_by(DeletionLog.at.desc()).limit(limit))
    )
