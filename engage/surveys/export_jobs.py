"""The CSV of all responses as a background job: written under instance/, downloaded when done.

The job is named by the consultation and its responses (count and newest id), so asking again
before a new response arrives returns the file already made.
"""

from pathlib import Path

from sqlalchemy import func, select

from engage.errors_domain import DomainError
from engage.extensions import db
from engage.jobs.files import job_file, write_whole
from engage.jobs.models import BackgroundJob
from engage.jobs.queue import JobProgress, enqueue
from engage.surveys.models import Consultation, Response
from engage.surveys.services import exports

KIND = "surveys.responses-export"
PROGRESS_EVERY = 5000  # rows between progress updates


def export_file(job: BackgroundJob) -> Path:
    return job_file(job, "responses", "csv")


def consultation_id_of(job: BackgroundJob) -> int | None:
    return int(job.job_key.split(":")[1]) if job.kind == KIND else None


def start_responses_export(consultation: Consultation) -> BackgroundJob:
    """Enqueue writing the responses CSV, or return the job that wrote these same responses."""
    count, newest = db.session.execute(
        select(func.count(Response.id), func.max(Response.id)).where(
            Response.consultation_id == consultation.id
        )
    ).one()
    key = f"export:{consultation.id}:{count}:{newest or 0}"
    return enqueue(write_responses_csv, consultation.id, job_key=key, kind=KIND)


def write_responses_csv(progress: JobProgress, consultation_id: int) -> dict:
    """The job: stream the export into a file, whole or not at all, reporting rows written."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise DomainError("The consultation was deleted before its export ran.")
    rows = 0

    def write(out) -> None:
        nonlocal rows
        for line in exports.responses_csv(consultation):
            out.write(line)
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                progress.update(rows - 1)

    write_whole(export_file(progress.job), write)
    progress.update(rows - 1)
    return {"summary": f"{rows - 1:,} responses written.", "responses": rows - 1}
