"""Theme suggestion and training code suggestions as background jobs, started from the pages.

A theme suggestion is named by the frame, the number of themes wanted and which texts the frame
holds, so asking again for the same texts shows the themes already found; once texts arrive (or
posts are hidden) it runs again. Training is named by the frame alone: while it runs, asking
again returns it; once done, asking again retrains. Its report is kept on the frame.
"""

from sqlalchemy import func, select

from engage.coding.models import CodeFrame
from engage.coding.suggesting import (
    TRAINING_STEPS,
    TrainingReport,
    find_frame_themes,
    train_suggestions,
)
from engage.coding.texts import frame_text_ids
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.jobs.models import BackgroundJob
from engage.jobs.queue import JobProgress, enqueue, find_job

THEMES_KIND = "coding.themes"
TRAINING_KIND = "coding.training"
FRAME_GONE = "The question or campaign was deleted before the job ran."


def _texts_fingerprint(frame: CodeFrame) -> str:
    """How many texts the frame holds and which: count, newest id and the ids' sum."""
    ids = frame_text_ids(frame).subquery()
    count, newest, total = db.session.execute(
        select(func.count(), func.max(ids.c[0]), func.sum(ids.c[0]))
    ).one()
    return f"{count}-{newest or 0}-{total or 0}"


def themes_key(frame: CodeFrame, wanted: int) -> str:
    return f"themes:{frame.id}:{wanted}:{_texts_fingerprint(frame)}"


def frame_id_of(job: BackgroundJob) -> int | None:
    """The frame a coding job is for, from its key."""
    if job.kind not in (THEMES_KIND, TRAINING_KIND):
        return None
    return int(job.job_key.split(":")[1])


def current_themes_job(frame: CodeFrame, wanted: int) -> BackgroundJob | None:
    """The suggestion of `wanted` themes in the frame's texts as they are now, if asked for."""
    return find_job(themes_key(frame, wanted))


def latest_themes_job(frame: CodeFrame) -> BackgroundJob | None:
    """The newest finished theme suggestion for the frame, whatever texts it was made from."""
    return db.session.scalar(
        select(BackgroundJob)
        .where(
            BackgroundJob.kind == THEMES_KIND,
            BackgroundJob.job_key.startswith(f"themes:{frame.id}:", autoescape=True),
            BackgroundJob.status == "done",
        )
        .order_by(BackgroundJob.finished_at.desc(), BackgroundJob.id.desc())
        .limit(1)
    )


def start_theme_suggestion(frame: CodeFrame, wanted: int) -> BackgroundJob:
    """Enqueue suggesting `wanted` themes, or return the suggestion made from these texts."""
    return enqueue(
        suggest_themes_job, frame.id, wanted, job_key=themes_key(frame, wanted), kind=THEMES_KIND
    )


def suggest_themes_job(progress: JobProgress, frame_id: int, wanted: int) -> dict:
    """The job: find the themes and keep them, as plain data, as the job's result."""
    frame = db.session.get(CodeFrame, frame_id)
    if frame is None:
        raise DomainError(FRAME_GONE)
    progress.update(0, 1)
    found = find_frame_themes(frame, max_themes=wanted)
    progress.update(1)
    return found | {"summary": f"{len(found['themes'])} themes in {found['texts']:,} texts."}


def training_job(frame: CodeFrame) -> BackgroundJob | None:
    return find_job(f"train:{frame.id}")


def start_training(frame: CodeFrame) -> BackgroundJob:
    """Enqueue training suggestions; while a training runs, return it; once done, train anew."""
    return enqueue(
        train_job, frame.id, job_key=f"train:{frame.id}", kind=TRAINING_KIND, again_once_done=True
    )


def train_job(progress: JobProgress, frame_id: int) -> dict:
    """The job: train, store the suggestions, and keep the report on the frame."""
    frame = db.session.get(CodeFrame, frame_id)
    if frame is None:
        raise DomainError(FRAME_GONE)
    progress.update(0, TRAINING_STEPS)
    report = train_suggestions(frame, on_step=progress.update)
    frame.training_report, frame.trained_at = training_report_data(report), utcnow()
    progress.update(TRAINING_STEPS)
    return {"summary": f"{report.suggested:,} uncoded texts now have suggestions."}


def training_report_data(report: TrainingReport) -> dict:
    """The report as JSON: each code by id, with its name then, should it be renamed or merged."""
    return {
        "coded": report.coded,
        "held_back": report.held_back,
        "suggested": report.suggested,
        "min_examples": report.min_examples,
        "codes": [
            {
                "code_id": code.id,
                "name": code.name,
                "positives": quality.positives,
                "held_back_positives": quality.held_back_positives,
                "precision": quality.precision,
                "recall": quality.recall,
                "reason": quality.reason,
            }
            for code, quality in report.quality
        ],
    }
