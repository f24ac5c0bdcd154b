"""The board report's PDF as a background job: WeasyPrint takes seconds, so no request waits.

The request renders the printable page (cheap: it reads the tallies) and names the job by a hash
of that page. Asking twice for the same figures is one job and one file; once anything in the
report changes (a response, a commitment, a code, the day it is dated), the hash changes and a
fresh PDF is made, so a stale one is never handed out as current.
"""

import hashlib
from pathlib import Path

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.jobs.files import job_file, write_whole
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.queue import JobProgress, enqueue, find_job
from engage.outcomes.report import laid_out_report
from engage.surveys.models import Consultation

KIND = "outcomes.report-pdf"
STEPS = 2  # laying the pages out, then writing the PDF


def report_key(consultation_id: int, html: str) -> str:
    return f"report-pdf:{consultation_id}:{hashlib.sha256(html.encode()).hexdigest()}"


def consultation_id_of(job: BackgroundJob) -> int | None:
    """The consultation a report job is for (kept in its key should the consultation go)."""
    return int(job.job_key.split(":")[1]) if job.kind == KIND else None


def report_file(job: BackgroundJob) -> Path:
    return job_file(job, "board-report", "pdf")


def start_report_pdf(consultation: Consultation, html: str, base_url: str) -> BackgroundJob:
    """Enqueue making the PDF of `html`, or return the job that made (or is making) this one.

    A job whose file was purged since is run again."""
    key = report_key(consultation.id, html)
    made = find_job(key)
    purged = made is not None and made.status == JobStatus.DONE and not report_file(made).exists()
    return enqueue(
        make_report_pdf,
        consultation.id,
        html,
        base_url,
        job_key=key,
        kind=KIND,
        again_once_done=purged,
    )


def make_report_pdf(progress: JobProgress, consultation_id: int, html: str, base_url: str) -> dict:
    """The job: lay the page out, then write the PDF whole under EXPORTS_DIR."""
    if db.session.get(Consultation, consultation_id) is None:
        raise DomainError("The consultation was deleted before its report was made.")
    progress.update(0, STEPS)
    document = laid_out_report(html, base_url)
    pages = len(document.pages)
    progress.update(1)
    write_whole(report_file(progress.job), document.write_pdf, binary=True)
    progress.update(STEPS)
    return {"summary": f"{pages} pages.", "pages": pages}
