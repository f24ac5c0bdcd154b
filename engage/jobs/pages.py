"""What every job page needs: the job of the right kind, and its file once it is made."""

from collections.abc import Callable
from pathlib import Path

from flask import abort, send_file

from engage.core.extensions import db
from engage.jobs.models import BackgroundJob, JobStatus


def job_or_404(job_id: int, target_id_of: Callable[[BackgroundJob], int | None]):
    """The job and the id of what it works on; 404 for an unknown job or one of another kind."""
    job = db.get_or_404(BackgroundJob, job_id)
    target_id = target_id_of(job)
    if target_id is None:
        abort(404)
    return job, target_id


def send_job_file(job: BackgroundJob, path: Path, mimetype: str, download_name: str):
    """The job's file as a download; 404 until the job is done, or once the file was purged."""
    if job.status != JobStatus.DONE or not path.exists():
        abort(404)
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=download_name)
    response.headers["Cache-Control"] = "no-store"
    return response
