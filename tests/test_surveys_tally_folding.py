"""Responses are stored awaiting the tallies and folded into them later; every count stays exact."""

import threading

import pytest
from sqlalchemy import func, select, text

from engage.core.extensions import db as _db
from engage.surveys import jobs
from engage.surveys.models import (
    Consultation,
    QuestionKind,
    Response,
    ResponseAwaitingTally,
    ResponseTally,
)
from engage.surveys.services import builder, tallies
from engage.surveys.services.question_rules import question_rules
from engage.surveys.services.responses import (
    AboutYou,
    clean_answers,
    submit_response,
    withdraw_response,
)

YES, NO = 0, 1


def _in_tally_table(db) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(ResponseTally.count), 0)))


def _counted(consultation_id: int) -> int:
    """Responses as the results pages count them."""
    return sum(tallies.stored_tallies(consultation_id).responses.values())


def _tallied_flags(db) -> list[bool]:
    """For each response in order of id: True once the tallies include it."""
    awaiting = set(db.session.scalars(select(ResponseAwaitingTally.response_id)))
    return [
        id_ not in awaiting for id_ in db.session.scalars(select(Response.id).order_by(Response.id))
    ]


def test_a_response_counts_at_once_and_is_folded_into_the_tallies_later(
    db, make_consultation, make_response
):
    consultation_id = make_consultation()
    for area in ("dudley", "dudley", "walsall"):
        make_response(consultation_id, {QuestionKind.YES_NO: [YES]}, area=area)

    assert _in_tally_table(db) == 0
    assert tallies.count_pending() == 3
    assert _counted(consultation_id) == 3
    assert tallies.compare_tallies(consultation_id) == []

    assert tallies.fold_batch() == 3
    db.session.commit()
    assert _tallied_flags(db) == [True, True, True]
    assert _in_tally_table(db) == 3
    assert tallies.stored_tallies(consultation_id).responses == {
        (consultation_id, "online", "dudley"): 2,
        (consultation_id, "online", "walsall"): 1,
    }
    assert tallies.compare_tallies(consultation_id) == []
    assert tallies.fold_batch() == 0


def test_folding_goes_batch_by_batch_and_counts_each_response_once(
    db, make_consultation, make_response, monkeypatch
):
    consultation_id = make_consultation()
    for n in range(5):
        make_response(consultation_id, {QuestionKind.YES_NO: [n % 2], QuestionKind.RATING: [n]})
    monkeypatch.setattr(tallies, "FOLD_BATCH", 2)
    batches = []

    assert jobs.fold_tallies(on_batch=batches.append) == 5

    assert batches == [2, 2, 1]
    assert tallies.count_pending() == 0
    assert _in_tally_table(db) == 5
    assert tallies.compare_tallies(consultation_id) == []


def test_a_response_can_be_withdrawn_whether_or_not_it_was_folded(
    db, make_consultation, make_response
):
    consultation_id = make_consultation()
    make_response(consultation_id, {QuestionKind.YES_NO: [YES]})
    assert tallies.fold_batch() == 1
    db.session.commit()
    make_response(consultation_id, {QuestionKind.YES_NO: [NO]})
    folded, waiting = db.session.scalars(select(Response.id).order_by(Response.id)).all()

    withdraw_response(folded)
    withdraw_response(waiting)
    withdraw_response(waiting)  # already gone: nothing happens
    db.session.commit()

    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert _in_tally_table(db) == 0
    assert _counted(consultation_id) == 0
    assert tallies.compare_tallies(consultation_id) == []


def test_a_recount_takes_in_the_responses_still_waiting(db, make_consultation, make_response):
    consultation_id = make_consultation()
    for _ in range(3):
        make_response(consultation_id, {QuestionKind.YES_NO: [YES]})
    assert tallies.fold_batch(limit=1) == 1
    db.session.execute(ResponseTally.__table__.update().values(count=99))
    assert tallies.compare_tallies(consultation_id) != []

    tallies.recount_tallies(consultation_id)
    db.session.commit()

    assert tallies.count_pending() == 0
    assert _in_tally_table(db) == 3
    assert tallies.compare_tallies(consultation_id) == []


def test_the_fold_command_folds_everything_waiting(
    app, db, runner, make_consultation, make_response
):
    consultation_id = make_consultation()
    for _ in range(4):
        make_response(consultation_id, {QuestionKind.YES_NO: [YES]})

    result = runner.invoke(args=["results", "fold"])

    assert result.exit_code == 0, result.output
    assert "4 response(s) folded into the tallies." in result.output
    assert tallies.count_pending() == 0
    assert _in_tally_table(db) == 4


def test_a_response_sent_online_is_folded_once_the_reply_has_gone(
    app, db, client, make_consultation, monkeypatch
):
    consultation_id = make_consultation(kinds=(QuestionKind.YES_NO,))
    question = db.session.get(Consultation, consultation_id).questions[0]
    page = client.get("/consultations/policing-plan").get_data(as_text=True)
    form_token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    monkeypatch.setitem(app.config, "TALLY_FOLD_INTERVAL_SECONDS", 0)
    monkeypatch.setattr(jobs._after_response, "last_started", float("-inf"))

    # buffered: the test client then closes the reply as a server does once it is sent
    reply = client.post(
        "/consultations/policing-plan/send",
        data={
            question.field_name: str(question.options[YES].id),
            "consent": "yes",
            "form_token": form_token,
        },
        buffered=True,
    )

    assert reply.status_code == 303
    db.session.expire_all()
    assert _tallied_flags(db) == [True]
    assert _in_tally_table(db) == 1


def test_a_change_to_the_questions_is_seen_by_the_next_submission(db, make_consultation):
    consultation_id = make_consultation(kinds=(QuestionKind.SINGLE_CHOICE,))
    consultation = db.session.get(Consultation, consultation_id)
    question = consultation.questions[0]
    before = question_rules(consultation.id, consultation.questions_revision)

    builder.update_question(
        question,
        builder.QuestionDetails(
            kind=question.kind,
            prompt=question.prompt,
            required=True,
            options=[option.label for option in question.options] + ["Something else"],
        ),
    )
    db.session.commit()

    after = question_rules(consultation.id, consultation.questions_revision)
    assert before[0].required is False and after[0].required is True
    assert len(after[0].option_ids) == len(before[0].option_ids) + 1
    new_option = max(after[0].option_ids)
    answers = clean_answers(after, {question.field_name: [str(new_option)]})
    submit_response(consultation, answers, AboutYou())


def _postgresql_only(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time, so commits cannot overtake each other")


def test_a_response_committed_after_a_later_one_is_still_folded(
    app, db, make_consultation, make_response
):
    """A fold that used an id watermark would skip the slower transaction's response for good."""
    _postgresql_only(db)
    consultation_id = make_consultation()
    stored, release, done = threading.Event(), threading.Event(), threading.Event()

    def slow_submission():
        with app.app_context():
            consultation = _db.session.get(Consultation, consultation_id)
            yes_no = next(q for q in consultation.questions if q.kind == QuestionKind.YES_NO)
            answers = {yes_no.field_name: [str(yes_no.options[YES].id)]}
            submit_response(
                consultation, clean_answers(consultation.questions, answers), AboutYou()
            )
            stored.set()
            release.wait(timeout=10)
            _db.session.commit()
            _db.session.remove()
            done.set()

    slow = threading.Thread(target=slow_submission)
    slow.start()
    assert stored.wait(timeout=10)
    make_response(consultation_id, {QuestionKind.YES_NO: [YES]})  # a later id, committed first

    assert tallies.fold_batch() == 1
    db.session.commit()
    release.set()
    assert done.wait(timeout=10)
    slow.join(timeout=10)

    assert tallies.fold_batch() == 1
    db.session.commit()
    assert _tallied_flags(db) == [True, True]
    assert _in_tally_table(db) == 2
    assert tallies.compare_tallies(consultation_id) == []


def test_folds_running_at_once_count_each_response_once(
    app, db, make_consultation, make_response, monkeypatch
):
    _postgresql_only(db)
    consultation_id = make_consultation()
    for n in range(40):
        make_response(consultation_id, {QuestionKind.YES_NO: [n % 2]})
    monkeypatch.setattr(tallies, "FOLD_BATCH", 3)
    barrier = threading.Barrier(2)
    folded = []

    def fold():
        with app.app_context():
            barrier.wait(timeout=10)
            folded.append(jobs.fold_tallies())
            _db.session.remove()

    threads = [threading.Thread(target=fold) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sum(folded) == 40
    assert _in_tally_table(db) == 40
    assert tallies.compare_tallies(consultation_id) == []


def test_every_stored_response_awaits_the_tallies_however_it_is_inserted(db, make_consultation):
    """The trigger lists rows that no service wrote: bulk loads, repairs by hand."""
    consultation_id = make_consultation()
    insert = text(
        "INSERT INTO responses (consultation_id, reference, channel, area, submitted_at, "
        "is_demo, form_token) VALUES (:consultation, :reference, 'online', 'dudley', "
        "CURRENT_TIMESTAMP, false, :token) ON CONFLICT (form_token) DO NOTHING"
    )
    for reference in ("R-BULK0001", "R-BULK0002"):
        db.session.execute(
            insert, {"consultation": consultation_id, "reference": reference, "token": reference}
        )
    # A replayed token stores nothing, so nothing is listed either.
    db.session.execute(
        insert, {"consultation": consultation_id, "reference": "R-BULK0003", "token": "R-BULK0001"}
    )
    db.session.commit()

    assert tallies.count_pending() == 2
    assert _counted(consultation_id) == 2
    assert jobs.fold_tallies() == 2
    assert _tallied_flags(db) == [True, True]
    assert tallies.compare_tallies(consultation_id) == []


def test_tidying_gives_back_the_space_of_folded_responses(db, make_consultation, monkeypatch):
    """Where autovacuum is off, the list's deleted rows would otherwise pile up for ever."""
    _postgresql_only(db)
    consultation_id = make_consultation()
    db.session.execute(
        text(
            "INSERT INTO responses (consultation_id, reference, channel, area, submitted_at, "
            "is_demo) SELECT :consultation, 'R-T' || i, 'online', 'dudley', CURRENT_TIMESTAMP, "
            "false FROM generate_series(1, 3000) AS i"
        ),
        {"consultation": consultation_id},
    )
    db.session.commit()
    monkeypatch.setattr(jobs, "TIDY_AFTER", 3000)
    monkeypatch.setattr(jobs, "_folded_since_tidy", 0)
    size = "SELECT pg_relation_size('responses_awaiting_tally')"
    assert db.session.scalar(text(size)) > 0

    assert jobs.fold_tallies() == 3000

    assert db.session.scalar(text(size)) == 0
    assert tallies.compare_tallies(consultation_id) == []
