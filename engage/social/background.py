"""Social jobs: imports of uploaded files (the file waits in instance/) and rescoring sentiment.

The job is named by the campaign and the file's SHA-256, so the same file uploaded twice is one
job; and a job retried after a worker died skips the posts it had stored as duplicates.
"""

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.queue import JobProgress, enqueue, find_job
from engage.social import jobs
from engage.social.models import Campaign, RunStatus
from engage.social.services import imports, post_tallies, sentiment

KIND = "social.import"
RESCORE_KIND = "social.rescore"
REASONS_SHOWN = 50
CHUNK = 1 << 16


def import_key(campaign: Campaign, sha256: str) -> str:
    return f"import:{campaign.id}:{sha256}"


def campaign_id_of(job: BackgroundJob) -> int | None:
    """The campaign a social job is for, from its key (kept if the campaign is deleted)."""
    if job.kind not in (KIND, RESCORE_KIND):
        return None
    return int(job.job_key.split(":")[1])


def file_sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def start_import(
    campaign: Campaign, stream: BinaryIO, file_format: str
) -> tuple[BackgroundJob, bool]:
    """Keep the upload under instance/ and enqueue its import; say whether it was new.

    The same file for the same campaign returns its existing job and is not saved again
    (unless that job failed: then it runs again).
    """
    sha256 = file_sha256(stream)
    key = import_key(campaign, sha256)
    existing = find_job(key)
    if existing and existing.status != JobStatus.FAILED and not existing.is_stalled(utcnow()):
        return existing, False
    path = _save(stream, sha256)
    job = enqueue(import_uploaded_file, campaign.id, str(path), file_format, job_key=key, kind=KIND)
    return job, True


def _save(stream: BinaryIO, sha256: str) -> Path:
    """Write the upload whole under its hash, so a half-written file is never read."""
    directory = Path(current_app.config["SOCIAL_IMPORTS_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{sha256}.upload"
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        while chunk := stream.read(CHUNK):
            out.write(chunk)
    os.replace(temporary, target)
    return target


def import_uploaded_file(
    progress: JobProgress, campaign_id: int, path: str, file_format: str
) -> dict:
    """The job: import the kept file as the CLI does, reporting posts read; then delete it."""
    file = Path(path)
    try:
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise DomainError("The campaign was deleted before its import ran: nothing imported.")
        if not file.exists():
            raise DomainError("The uploaded file is no longer there: upload it again.")
        report = _import(progress, campaign, file, file_format)
    finally:
        file.unlink(missing_ok=True)
    jobs.fold_post_tallies()
    return _result(report)


def _import(progress: JobProgress, campaign: Campaign, file: Path, file_format: str):
    run = imports.start_run(campaign, file_format)
    db.session.commit()
    report = imports.ImportReport()
    with file.open("rb") as stream:
        try:
            imports.import_posts(
                campaign, stream, file_format, lambda _: progress.update(report.read), report=report
            )
        except DomainError as error:
            db.session.rollback()  # the unfinished batch; the committed ones stay counted
            imports.finish_run(run, RunStatus.FAILED, report, error.message)
            db.session.commit()
            progress.keep(_result(report))
            raise
    imports.finish_run(run, RunStatus.COMPLETED, report, report.summary())
    progress.update(report.read)
    return report


def _result(report: imports.ImportReport) -> dict:
    return {
        "summary": report.summary(),
        "read": report.read,
        "imported": report.stored,
        "duplicates": report.duplicates,
        "rejected": report.rejected,
        "reasons": [[line, reason] for line, reason in report.reasons[:REASONS_SHOWN]],
    }


def start_rescore(campaign: Campaign) -> BackgroundJob:
    """Enqueue rescoring the campaign's posts; while one is queued or running, return it."""
    return enqueue(
        rescore_campaign,
        campaign.id,
        job_key=f"rescore:{campaign.id}",
        kind=RESCORE_KIND,
        again_once_done=True,
    )


def rescore_campaign(progress: JobProgress, campaign_id: int) -> dict:
    """The job: recompute every post's sentiment a batch at a time, as the CLI does."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise DomainError("The campaign was deleted before its rescore ran.")
    total, done = sentiment.count_posts(campaign), 0
    progress.update(0, total)
    for batch in sentiment.rescore_posts(campaign):
        done += batch
        progress.update(done)
    jobs.fold_post_tallies()
    post_tallies.tidy()
    return {"summary": f"Rescored {total:,} posts."}
