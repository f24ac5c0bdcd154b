"""The CSV of all responses prepared as a background job and downloaded from its page."""

import csv
import io

from engage.auth.models import Role
from engage.core.extensions import db as _db
from engage.jobs.models import BackgroundJob
from engage.jobs.worker import run_worker
from engage.surveys.models import Consultation, QuestionKind

KINDS = (QuestionKind.YES_NO, QuestionKind.FREE_TEXT)


def _start(client, consultation_id):
    response = client.post(f"/staff/consultations/{consultation_id}/export/responses-job")
    assert response.status_code == 303
    return response.headers["Location"]


def test_export_job_writes_the_same_csv_as_the_direct_download(
    client, login, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=KINDS)
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "=cmd|' /C calc'!A0"})
    login(client, Role.COMMS)
    job_url = _start(client, consultation_id)
    page = client.get(job_url).get_data(as_text=True)
    assert "Done" in page and 'http-equiv="refresh"' not in page
    download = client.get(job_url + "/responses.csv")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    body = download.get_data()
    download.close()
    direct = client.get(f"/staff/consultations/{consultation_id}/export/responses.csv")
    assert body == direct.get_data()
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert len(rows) == 3
    assert rows[2][-1].startswith("'=")  # formula guarded as in the direct export


def test_asking_again_without_new_responses_returns_the_same_export(
    app, client, login, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=KINDS)
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    login(client, Role.CONSULTATION)
    first = _start(client, consultation_id)
    assert _start(client, consultation_id) == first
    make_response(consultation_id, {QuestionKind.YES_NO: [1]})
    assert _start(client, consultation_id) != first  # a new response: a new export
    with app.app_context():
        assert _db.session.query(BackgroundJob).count() == 2


def test_export_waits_on_the_queue_and_download_is_404_until_done(
    queue_app, login, make_consultation, make_response
):
    client = queue_app.test_client()
    consultation_id = make_consultation(kinds=KINDS)
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    login(client, Role.PCC)
    job_url = _start(client, consultation_id)
    assert '<meta http-equiv="refresh" content="2">' in client.get(job_url).get_data(as_text=True)
    assert client.get(job_url + "/responses.csv").status_code == 404
    run_worker(queue_app, burst=True)
    assert "Download the responses" in client.get(job_url).get_data(as_text=True)
    download = client.get(job_url + "/responses.csv")
    assert download.status_code == 200
    download.close()


def test_export_job_is_refused_to_reviewers(client, login, make_consultation):
    consultation_id = make_consultation(kinds=KINDS)
    login(client, Role.REVIEWER)
    response = client.post(f"/staff/consultations/{consultation_id}/export/responses-job")
    assert response.status_code == 403


def test_an_export_too_big_to_stream_is_offered_as_a_job(
    make_app, login, make_consultation, make_response
):
    app = make_app(EXPORT_DIRECT_MAX_RESPONSES=1)
    client = app.test_client()
    consultation_id = make_consultation(kinds=KINDS)
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    make_response(consultation_id, {QuestionKind.YES_NO: [1]})
    login(client, Role.CONSULTATION)
    page = client.get(f"/staff/consultations/{consultation_id}/export/responses.csv")
    assert page.mimetype == "text/html"
    assert "This consultation has 2 responses" in page.get_data(as_text=True)
    with app.app_context():
        assert _db.session.query(BackgroundJob).count() == 0  # offered, not started
    job_url = _start(client, consultation_id)
    download = client.get(job_url + "/responses.csv")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    download.close()
    assert [row[7] for row in rows[1:]] == ["Yes", "No"]


def test_an_export_whose_consultation_was_deleted_before_it_ran_fails_clearly(
    queue_app, login, make_consultation
):
    client = queue_app.test_client()
    consultation_id = make_consultation(kinds=KINDS)
    login(client, Role.CONSULTATION)
    job_url = _start(client, consultation_id)
    with queue_app.app_context():
        _db.session.delete(_db.session.get(Consultation, consultation_id))
        _db.session.commit()
    run_worker(queue_app, burst=True)
    page = client.get(job_url).get_data(as_text=True)
    assert "The consultation was deleted before its export ran." in page
    assert "The consultation has been deleted." in page
    assert client.get(job_url + "/responses.csv").status_code == 404


def test_a_purged_export_is_prepared_again_when_asked_for(
    app, client, login, make_consultation, make_response
):
    from engage.surveys import export_jobs

    consultation_id = make_consultation(kinds=KINDS)
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    login(client, Role.PCC)
    job_url = _start(client, consultation_id)
    with app.app_context():
        export_jobs.export_file(_db.session.query(BackgroundJob).one()).unlink()
    assert "cleared away" in client.get(job_url).get_data(as_text=True)
    assert _start(client, consultation_id) == job_url
    download = client.get(job_url + "/responses.csv")
    assert download.status_code == 200
    download.close()
