"""The board report's PDF made as a job: one job per set of figures, remade when stale."""

from engage.auth.models import Role
from engage.core.extensions import db as _db
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.worker import run_worker
from engage.outcomes import report_jobs
from engage.surveys.models import Consultation, QuestionKind

KINDS = (QuestionKind.YES_NO,)


def _start(client, consultation_id: int) -> str:
    response = client.post(f"/staff/consultations/{consultation_id}/report.pdf")
    assert response.status_code == 303
    return response.headers["Location"]


def _download(client, job_url: str) -> tuple[int, bytes]:
    response = client.get(job_url + "/board-report.pdf")
    status, data = response.status_code, response.get_data()
    response.close()
    return status, data


def _report_jobs() -> list[BackgroundJob]:
    _db.session.expire_all()
    return list(
        _db.session.scalars(_db.select(BackgroundJob).where(BackgroundJob.kind == report_jobs.KIND))
    )


def test_asking_twice_for_the_same_figures_is_one_job_and_one_file(
    app, client, login, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=KINDS)
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    login(client, Role.PCC)
    first = _start(client, consultation_id)
    with app.app_context():
        [job] = _report_jobs()
        made_at = report_jobs.report_file(job).stat().st_mtime_ns
    assert _start(client, consultation_id) == first
    with app.app_context():
        [again] = _report_jobs()
        assert again.id == job.id and again.status == JobStatus.DONE
        assert report_jobs.report_file(again).stat().st_mtime_ns == made_at  # not remade


def test_a_pdf_made_before_the_figures_changed_is_made_afresh(
    app, client, login, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=KINDS)
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    login(client, Role.CONSULTATION)
    first = _start(client, consultation_id)
    client.post(
        f"/staff/consultations/{consultation_id}/outcomes/commitments/new",
        data={"title": "More patrols at night", "owner": "Neighbourhoods", "status": "planned"},
    )
    second = _start(client, consultation_id)
    assert second != first
    with app.app_context():
        assert [job.status for job in _report_jobs()] == [JobStatus.DONE, JobStatus.DONE]
    # The older PDF stays downloadable from its own page, dated by when it was asked for.
    assert _download(client, first)[0] == 200


def test_a_purged_pdf_is_made_again_when_asked_for(app, client, login, make_consultation):
    consultation_id = make_consultation(kinds=KINDS)
    login(client, Role.PCC)
    job_url = _start(client, consultation_id)
    with app.app_context():
        [job] = _report_jobs()
        report_jobs.report_file(job).unlink()
    assert "cleared away" in client.get(job_url).get_data(as_text=True)
    assert _download(client, job_url)[0] == 404
    assert _start(client, consultation_id) == job_url
    assert _download(client, job_url)[0] == 200


def test_on_the_queue_the_page_shows_progress_then_the_download(
    queue_app, login, make_consultation, make_response
):
    client = queue_app.test_client()
    consultation_id = make_consultation(kinds=KINDS)
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    login(client, Role.COMMS)
    job_url = _start(client, consultation_id)
    assert _start(client, consultation_id) == job_url  # queued, not queued twice
    page = client.get(job_url).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page and "Waiting to start" in page
    assert _download(client, job_url)[0] == 404
    run_worker(queue_app, burst=True)
    page = client.get(job_url).get_data(as_text=True)
    assert "Download the board report (PDF)" in page and "refresh" not in page
    assert _download(client, job_url)[1].startswith(b"%PDF")


def test_a_consultation_deleted_before_the_worker_ran_fails_the_job_clearly(
    queue_app, login, make_consultation
):
    client = queue_app.test_client()
    consultation_id = make_consultation(kinds=KINDS)
    login(client, Role.PCC)
    job_url = _start(client, consultation_id)
    with queue_app.app_context():
        _db.session.delete(_db.session.get(Consultation, consultation_id))
        _db.session.commit()
    run_worker(queue_app, burst=True)
    page = client.get(job_url).get_data(as_text=True)
    assert "The consultation was deleted before its report was made." in page
    assert "The consultation has been deleted." in page
    with queue_app.app_context():
        [job] = _report_jobs()
        assert job.status == JobStatus.FAILED
        assert not report_jobs.report_file(job).exists()


def test_report_jobs_are_for_staff_who_read_results(client, login, make_consultation):
    consultation_id = make_consultation(kinds=KINDS)
    job_url = None
    login(client, Role.PCC)
    job_url = _start(client, consultation_id)
    client.post("/staff/logout")
    login(client, Role.REVIEWER)
    assert client.get(job_url).status_code == 403
    assert client.post(f"/staff/consultations/{consultation_id}/report.pdf").status_code == 403


def test_another_kind_of_job_is_not_a_report(app, client, login, make_consultation):
    consultation_id = make_consultation(kinds=KINDS)
    login(client, Role.PCC)
    export = client.post(f"/staff/consultations/{consultation_id}/export/responses-job")
    job_id = export.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/staff/consultations/report-jobs/{job_id}").status_code == 404
