"""Files of posts uploaded on a campaign's set-up page, imported as background jobs."""

import io
import json
import os
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from engage.auth.models import Role
from engage.core.db_types import utcnow
from engage.core.extensions import db as _db
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.worker import run_worker
from engage.social.models import Campaign, DailyQuestion, SocialPost
from tests.conftest import DAILY_POST_ID, PASSWORD
from tests.x_api import page, reply

TODAY = datetime.combine(date.today(), datetime.min.time(), UTC) + timedelta(hours=9)


def _jsonl(*ids) -> bytes:
    return json.dumps(page([reply(n, f"Reply {n} #WMP2020", TODAY, DAILY_POST_ID) for n in ids]))


def _upload(client, content: bytes, file_format="x-jsonl", slug="wmp2020"):
    return client.post(
        f"/staff/social/{slug}/imports",
        data={"file": (io.BytesIO(content), "posts.jsonl"), "file_format": file_format},
        content_type="multipart/form-data",
    )


def _count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def _uploads_left(app) -> list[str]:
    directory = app.config["SOCIAL_IMPORTS_DIR"]
    return os.listdir(directory) if os.path.isdir(directory) else []


def test_setup_page_offers_the_upload_form_to_comms(client, login, make_campaign):
    make_campaign()
    login(client, Role.COMMS)
    page_html = client.get("/staff/social/wmp2020/setup").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page_html
    assert "Import the file" in page_html


def test_uploaded_file_is_imported_and_its_job_page_shows_the_report(
    app, client, login, make_campaign
):
    make_campaign()
    login(client, Role.COMMS)
    content = _jsonl(1, 2, 3).encode() + b"\n" + b'{"data": [ not json\n'
    response = _upload(client, content)
    assert response.status_code == 303
    job_page = client.get(response.headers["Location"])
    html = job_page.get_data(as_text=True)
    assert job_page.status_code == 200
    assert "Done" in html
    assert 'http-equiv="refresh"' not in html  # finished: no more refreshing
    assert "line 2:" in html  # the malformed row, with its line number as the CLI reports
    with app.app_context():
        assert _count(SocialPost) == 3
        job = _db.session.scalars(select(BackgroundJob)).one()
        assert job.status == JobStatus.DONE
        assert (job.result["imported"], job.result["rejected"]) == (3, 1)
        assert job.progress_done == 4
    assert _uploads_left(app) == []  # the posts' file is not kept once imported


def test_same_file_twice_is_one_job_and_stores_nothing_twice(app, client, login, make_campaign):
    make_campaign()
    login(client, Role.COMMS)
    content = _jsonl(1, 2).encode()
    first = _upload(client, content)
    second = _upload(client, content)
    assert second.headers["Location"] == first.headers["Location"]
    assert "uploaded for this campaign before" in client.get(second.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        assert _count(BackgroundJob) == 1
        assert _count(SocialPost) == 2
    assert _uploads_left(app) == []


def test_file_that_stops_being_utf8_fails_the_job_with_the_clis_message(
    app, client, login, make_campaign
):
    make_campaign()
    login(client, Role.COMMS)
    response = _upload(client, b"id,text,created_at\n\xff\xfe,bad,bad\n", file_format="csv")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Failed" in html
    assert "not UTF-8" in html
    with app.app_context():
        assert _count(SocialPost) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "The file is empty"), (b"x" * 2048, "The file is larger than")],
)
def test_empty_or_too_large_file_is_refused_on_the_form(
    make_app, login, make_campaign, content, message
):
    app = make_app(SOCIAL_IMPORT_MAX_BYTES=1024)
    client = app.test_client()
    make_campaign()
    login(client, Role.COMMS)
    response = _upload(client, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert _count(BackgroundJob) == 0
    assert _uploads_left(app) == []


def test_unknown_campaign_is_404_and_stores_nothing(app, client, login):
    login(client, Role.COMMS)
    assert _upload(client, _jsonl(1).encode(), slug="nope").status_code == 404
    with app.app_context():
        assert _count(BackgroundJob) == 0


def test_only_comms_can_upload(app, client, login, make_campaign):
    make_campaign()
    login(client, Role.PCC)
    assert _upload(client, _jsonl(1).encode()).status_code == 403
    with app.app_context():
        assert _count(BackgroundJob) == 0


def test_on_a_queue_the_page_refreshes_until_a_worker_has_run_the_import(
    queue_app, login, make_campaign
):
    client = queue_app.test_client()
    make_campaign()
    login(client, Role.COMMS)
    job_url = _upload(client, _jsonl(1, 2).encode()).headers["Location"]
    waiting = client.get(job_url).get_data(as_text=True)
    assert "Queued" in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting
    run_worker(queue_app, burst=True)
    done = client.get(job_url).get_data(as_text=True)
    assert "Done" in done
    assert 'http-equiv="refresh"' not in done
    with queue_app.app_context():
        assert _count(SocialPost) == 2
    assert _uploads_left(queue_app) == []


def test_campaign_deleted_before_the_job_ran_fails_it_clearly(queue_app, login, make_campaign):
    client = queue_app.test_client()
    campaign_id = make_campaign()
    login(client, Role.COMMS)
    job_url = _upload(client, _jsonl(1).encode()).headers["Location"]
    with queue_app.app_context():
        _db.session.execute(delete(DailyQuestion).where(DailyQuestion.campaign_id == campaign_id))
        _db.session.execute(delete(Campaign).where(Campaign.id == campaign_id))
        _db.session.commit()
    run_worker(queue_app, burst=True)
    html = client.get(job_url).get_data(as_text=True)
    assert "Failed" in html
    assert "The campaign was deleted before its import ran" in html
    assert _uploads_left(queue_app) == []


def test_rescore_runs_as_a_job_and_can_run_again_once_done(app, client, login, make_campaign):
    campaign_id = make_campaign()
    login(client, Role.COMMS)
    _upload(client, _jsonl(1, 2, 3).encode())
    with app.app_context():
        _db.session.execute(update(SocialPost).values(polarity=0.9))  # not what it scores
        _db.session.commit()
    response = client.post("/staff/social/wmp2020/rescore")
    with app.app_context():
        assert 0.9 not in _db.session.scalars(select(SocialPost.polarity)).all()
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Rescoring posts" in html
    assert "Rescored 3 posts." in html
    assert "3 of 3" in html
    again = client.post("/staff/social/wmp2020/rescore")
    assert again.headers["Location"] == response.headers["Location"]  # the same job, run again
    with app.app_context():
        job = _db.session.scalars(
            select(BackgroundJob).where(BackgroundJob.kind == "social.rescore")
        ).one()
        assert job.status == JobStatus.DONE
        assert job.job_key == f"rescore:{campaign_id}"


def test_rescore_while_one_is_queued_returns_it(queue_app, login, make_campaign):
    client = queue_app.test_client()
    make_campaign()
    login(client, Role.COMMS)
    first = client.post("/staff/social/wmp2020/rescore").headers["Location"]
    second = client.post("/staff/social/wmp2020/rescore").headers["Location"]
    assert first == second
    with queue_app.app_context():
        assert _count(BackgroundJob) == 1
    run_worker(queue_app, burst=True)
    assert "Rescored 0 posts." in client.get(first).get_data(as_text=True)


def test_pcc_cannot_start_a_rescore(app, client, login, make_campaign):
    make_campaign()
    login(client, Role.PCC)
    assert client.post("/staff/social/wmp2020/rescore").status_code == 403


def test_upload_without_the_form_token_is_refused(make_app, make_staff, make_campaign):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    make_campaign()
    login_page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    email = make_staff(Role.COMMS)
    signed_in = client.post(
        "/staff/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    assert _upload(client, _jsonl(1).encode()).status_code == 400
    with app.app_context():
        assert _count(BackgroundJob) == 0
    assert _uploads_left(app) == []


def test_import_whose_worker_died_restarts_on_upload_and_stores_nothing_twice(
    app, client, login, make_campaign
):
    make_campaign()
    login(client, Role.COMMS)
    content = _jsonl(1, 2).encode()
    job_url = _upload(client, content).headers["Location"]
    with app.app_context():  # as if the worker was killed after storing, before finishing
        job = _db.session.scalars(select(BackgroundJob)).one()
        job.status = JobStatus.RUNNING
        job.updated_at = utcnow() - timedelta(minutes=11)
        _db.session.commit()
    assert "its worker may have stopped" in client.get(job_url).get_data(as_text=True)
    again = _upload(client, content)
    assert again.headers["Location"] == job_url
    with app.app_context():
        job = _db.session.scalars(select(BackgroundJob)).one()
        assert job.status == JobStatus.DONE
        assert (job.result["imported"], job.result["duplicates"]) == (0, 2)
        assert _count(SocialPost) == 2


def test_running_import_that_still_moves_is_not_started_again(app, client, login, make_campaign):
    make_campaign()
    login(client, Role.COMMS)
    content = _jsonl(1).encode()
    _upload(client, content)
    with app.app_context():
        job = _db.session.scalars(select(BackgroundJob)).one()
        job.status = JobStatus.RUNNING
        _db.session.commit()
    _upload(client, content)
    with app.app_context():
        assert _db.session.scalars(select(BackgroundJob)).one().status == JobStatus.RUNNING
    assert _uploads_left(app) == []
