"""The CSV of all responses as a background job: written under instance/, downloaded when done.

The job is named by the consultation and its responses (count and newest id), so asking again
before a new response arrives returns the file already made.
"""

import time
from pathlib import Path

from sqlalchemy import func, select

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.jobs.files import job_file, write_whole
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.queue import JobProgress, enqueue, find_job
from engage.surveys.models import Consultation, Response
from engage.surveys.services import response_export

KIND = "surveys.responses-export"
PROGRESS_SECONDS = 0.5


def export_file(job: BackgroundJob) -> Path:
    return job_file(job, "responses", "csv")


def consultation_id_of(job: BackgroundJob) -> int | None:
    return int(job.job_key.split(":")[1]) if job.kind == KIND else None


def count_responses(consultation: Consultation) -> int:
    return db.session.execute(
        select(func.count(Response.id)).where(Response.consultation_id == consultation.id)
    ).scalar_one()


def start_responses_export(consultation: Consultation) -> BackgroundJob:
    """Enqueue writing the responses CSV, or return the job that wrote these same responses
    (run again if its file was purged since)."""
    count, newest = db.session.execute(
        select(func.count(Response.id))
        .add_columns(func.max(Response.id))
        .where(Response.consultation_id == consultation.id)
    ).one()
    key = f"export:{consultation.id}:{count}:{newest or 0}"
    made = find_job(key)
    purged = made is not None and made.status == JobStatus.DONE and not export_file(made).exists()
    return enqueue(
        write_responses_csv, consultation.id, job_key=key, kind=KIND, again_once_done=purged
    )


def write_responses_csv(progress: JobProgress, consultation_id: int) -> dict:
    """The job: stream the export into a file, whole or not at all, reporting rows written
    (at most every PROGRESS_SECONDS, as each report is a commit)."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise DomainError("The consultation was deleted before its export ran.")
    progress.update(0, count_responses(consultation))
    written, reported = 0, time.monotonic()

    def block_written(rows: int) -> None:
        nonlocal written, reported
        written = rows
        if time.monotonic() - reported >= PROGRESS_SECONDS:
            progress.update(rows)
            reported = time.monotonic()

    write_whole(
        export_file(progress.job),
        lambda out: out.writelines(response_export.responses_csv(consultation, block_written)),
    )
    progress.update(written)
    return {"summary": f"{written:,} responses written.", "responses": written}
