"""The record of a background job: what pages show whether or not Redis is there."""

import enum
from datetime import datetime, timedelta

from sqlalchemy import JSON, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.extensions import Model

KEY_MAX = 200
KIND_MAX = 40
ERROR_MAX = 1000
# Longer than any job goes without reporting progress (a batch of posts takes about a second).
STALLED_AFTER = timedelta(minutes=10)


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class BackgroundJob(Model):
    __tablename__ = "background_jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(KIND_MAX))
    # Names the work ("import:<campaign>:<sha256>"): the same work is one job, not two.
    job_key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.QUEUED)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    # Times the sweeper queued it again after its worker stopped; reset when staff restart it.
    restarts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(String(ERROR_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Moved on with every status and progress change: a job left running long after it last
    # moved lost its worker (killed mid-job), and may be started again.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def is_stalled(self, now: datetime) -> bool:
        """Whether it is unfinished but has not moved for longer than a job may sit still."""
        return not self.is_finished and now - self.updated_at > STALLED_AFTER
