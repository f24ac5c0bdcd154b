"""The CSV of all responses prepared as a background job and downloaded from its page."""

import csv
import io

from engage.auth.models import Role
from engage.core.extensions import db as _db
from engage.jobs.models import BackgroundJob
from engage.jobs.worker import run_worker
from engage.surveys.models import QuestionKind

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
