"""Theme suggestion and training code suggestions as background jobs started from the pages."""

import pytest
from sqlalchemy import func, select

from engage.auth.models import StaffUser
from engage.coding import jobs, services
from engage.coding.models import CodeFrame
from engage.coding.texts import frame_texts
from engage.jobs.models import BackgroundJob, JobStatus
from engage.jobs.queue import job_queue
from engage.jobs.worker import run_worker
from engage.surveys.models import Consultation, QuestionKind
from tests.conftest import TEST_QUEUE_URL
from tests.test_coding_views import TEXTS, add_codes, suggest


@pytest.fixture
def question(db, make_consultation, make_response):
    """A free-text question with the six comments the coding views' tests use."""
    consultation_id = make_consultation(kinds=(QuestionKind.FREE_TEXT,), slug="comments")
    for text in TEXTS:
        make_response(consultation_id, {QuestionKind.FREE_TEXT: text})
    return db.session.get(Consultation, consultation_id).questions[0]


def url(question, tail=""):
    return f"/staff/coding/question/{question.id}{tail}"


def _jobs(db, kind: str) -> list[BackgroundJob]:
    db.session.expire_all()
    return list(db.session.scalars(select(BackgroundJob).where(BackgroundJob.kind == kind)))


def _train_on_fifty(db, client, login, make_consultation, make_response):
    """A question with 50 comments, 40 coded by a person with two codes."""
    consultation_id = make_consultation(kinds=(QuestionKind.FREE_TEXT,), slug="training")
    for n in range(25):
        make_response(consultation_id, {QuestionKind.FREE_TEXT: f"Street light {n} is out"})
        make_response(consultation_id, {QuestionKind.FREE_TEXT: f"Cars speeding at school {n}"})
    trained = db.session.get(Consultation, consultation_id).questions[0]
    email = login(client)
    lights, speed = add_codes(db, trained, email, "Lighting", "Speeding")
    frame = services.frame_for_question(trained)
    staff = db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
    for text in frame_texts(frame)[:40]:
        code = lights if "light" in text.text else speed
        services.assign_codes(frame, staff, [code], answer_id=text.answer_id)
    db.session.commit()
    return trained, lights


def test_themes_asked_for_twice_are_found_once_and_kept_for_a_reload(client, login, db, question):
    login(client)
    first = suggest(client, url(question))
    assert "Accept as a code" in first
    again = suggest(client, url(question))
    assert len(_jobs(db, jobs.THEMES_KIND)) == 1
    reloaded = client.get(url(question, "/themes")).get_data(as_text=True)
    assert (
        reloaded.count("Accept as a code")
        == first.count("Accept as a code")
        == again.count("Accept as a code")
    )
    assert "the texts have changed since" not in reloaded


def test_themes_found_before_new_texts_say_so_and_are_found_afresh(
    client, login, db, question, make_response
):
    login(client)
    suggest(client, url(question))
    make_response(question.consultation_id, {QuestionKind.FREE_TEXT: "Potholes on every road"})
    page = client.get(url(question, "/themes")).get_data(as_text=True)
    assert "Accept as a code" in page and "the texts have changed since" in page
    page = suggest(client, url(question))
    assert "the texts have changed since" not in page
    assert f"in {len(TEXTS) + 1} texts" in page
    assert len(_jobs(db, jobs.THEMES_KIND)) == 2


def test_a_number_of_themes_out_of_range_is_refused_and_starts_nothing(client, login, db, question):
    login(client)
    response = client.post(url(question, "/themes"), data={"themes": "0"})
    assert response.status_code == 422
    assert "Enter a number between 1 and" in response.get_data(as_text=True)
    response = client.post(url(question, "/themes"), data={"themes": "many"})
    assert response.status_code == 422
    assert _jobs(db, jobs.THEMES_KIND) == []


def test_themes_on_the_queue_show_progress_then_the_themes(queue_app, login, make_app, question):
    client = queue_app.test_client()
    login(client)
    started = client.post(url(question, "/themes"), data={"themes": 3})
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Finding 3 themes in the texts (queued)" in page
    assert '<meta http-equiv="refresh" content="2">' in page
    client.post(url(question, "/themes"), data={"themes": 3})
    with queue_app.app_context():
        assert job_queue(TEST_QUEUE_URL).count == 1  # asked twice, queued once
    run_worker(queue_app, burst=True)
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Accept as a code" in page and "refresh" not in page


def test_the_training_report_is_kept_so_a_reload_does_not_retrain(
    client, login, db, make_consultation, make_response
):
    question, lights = _train_on_fifty(db, client, login, make_consultation, make_response)
    page = client.post(url(question, "/train"), follow_redirects=True).get_data(as_text=True)
    assert "Learnt from 40 texts people coded; 8 of them were held back" in page
    frame = db.session.scalar(select(CodeFrame).where(CodeFrame.question_id == question.id))
    trained_at = frame.trained_at
    [job] = _jobs(db, jobs.TRAINING_KIND)
    started = job.started_at
    client.post(url(question, f"/codes/{lights}/rename"), data={"name": "Street lighting"})
    reloaded = client.get(url(question, "/training")).get_data(as_text=True)
    assert "Learnt from 40 texts people coded" in reloaded
    assert "Street lighting</th>" in reloaded  # the code's name now, not then
    db.session.expire_all()
    assert frame.trained_at == trained_at
    [job] = _jobs(db, jobs.TRAINING_KIND)
    assert job.started_at == started  # not run again
    overview = client.get(url(question)).get_data(as_text=True)
    assert "How well the suggestions did when last trained" in overview


def test_training_on_the_queue_runs_once_and_then_shows_its_report(
    queue_app, login, db, make_consultation, make_response
):
    client = queue_app.test_client()
    question, _ = _train_on_fifty(db, client, login, make_consultation, make_response)
    first = client.post(url(question, "/train"))
    assert first.status_code == 303
    client.post(url(question, "/train"))  # a second press while it waits: the same job
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Training suggestions (queued" in page and "refresh" in page
    assert "Train again" not in page
    with queue_app.app_context():
        assert job_queue(TEST_QUEUE_URL).count == 1
    run_worker(queue_app, burst=True)
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Learnt from 40 texts people coded" in page and "refresh" not in page
    [job] = _jobs(db, jobs.TRAINING_KIND)
    assert job.status == JobStatus.DONE


def test_a_frame_deleted_before_training_ran_fails_the_job_clearly(queue_app, login, db, question):
    client = queue_app.test_client()
    login(client)
    client.post(url(question, "/train"))
    frame = db.session.scalar(select(CodeFrame).where(CodeFrame.question_id == question.id))
    db.session.delete(frame)
    db.session.commit()
    run_worker(queue_app, burst=True)
    [job] = _jobs(db, jobs.TRAINING_KIND)
    assert job.status == JobStatus.FAILED and job.error == jobs.FRAME_GONE
    assert db.session.scalar(select(func.count()).select_from(CodeFrame)) == 0


def test_a_failed_suggestion_says_why_and_the_button_starts_it_again(client, login, db, question):
    login(client)
    frame = services.frame_for_question(question)
    db.session.add(
        BackgroundJob(
            kind=jobs.THEMES_KIND,
            job_key=jobs.themes_key(frame, 8),
            status=JobStatus.FAILED,
            error=jobs.FRAME_GONE,
        )
    )
    db.session.commit()
    page = client.get(url(question, "/themes")).get_data(as_text=True)
    assert f"Finding themes failed: {jobs.FRAME_GONE}" in page
    assert "No themes have been suggested yet" in page
    assert "Accept as a code" in suggest(client, url(question))
    [job] = _jobs(db, jobs.THEMES_KIND)
    assert job.status == JobStatus.DONE and job.error is None
