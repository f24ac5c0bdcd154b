"""The rules for storing a response, whichever channel it came through."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from engage.core.errors import DomainError
from engage.surveys.models import (
    Answer,
    Channel,
    Consultation,
    ConsultationStatus,
    Event,
    QuestionKind,
    Response,
)
from engage.surveys.services import consultations, tallies
from engage.surveys.services.responses import (
    AboutYou,
    AnswerErrors,
    ConsultationChanged,
    DuplicateSubmission,
    clean_about_you,
    clean_answers,
    submit_response,
)


def _questions(db, consultation_id):
    consultation = db.session.get(Consultation, consultation_id)
    return consultation, {q.kind: q for q in consultation.questions}


def _full_answers(by_kind):
    return {
        by_kind[QuestionKind.SINGLE_CHOICE].field_name: [
            str(by_kind[QuestionKind.SINGLE_CHOICE].options[1].id)
        ],
        by_kind[QuestionKind.MULTIPLE_CHOICE].field_name: [
            str(o.id) for o in by_kind[QuestionKind.MULTIPLE_CHOICE].options[:2]
        ],
        by_kind[QuestionKind.AGREEMENT].field_name: [
            str(by_kind[QuestionKind.AGREEMENT].options[0].id)
        ],
        by_kind[QuestionKind.YES_NO].field_name: [str(by_kind[QuestionKind.YES_NO].options[0].id)],
        by_kind[QuestionKind.RATING].field_name: [str(by_kind[QuestionKind.RATING].options[4].id)],
        by_kind[QuestionKind.FREE_TEXT].field_name: ["Great to see officers on the street."],
    }


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_online_response_is_stored_with_every_answer(db, make_consultation):
    consultation, by_kind = _questions(db, make_consultation())
    answers = clean_answers(consultation.questions, _full_answers(by_kind))
    response = submit_response(consultation, answers, AboutYou(area="dudley"), form_token="t1")
    db.session.commit()
    assert response.reference.startswith("R-")
    assert response.channel == Channel.ONLINE
    # multiple choice stores a row per chosen option: 1 + 2 + 1 + 1 + 1 + 1 text
    assert _count(db, Answer) == 7
    text_answer = db.session.scalar(select(Answer).where(Answer.text.is_not(None)))
    assert text_answer.polarity is None  # scored after the reply, when folded
    assert tallies.compare_tallies(consultation.id) == []
    tallies.fold_batch()
    db.session.commit()
    db.session.refresh(text_answer)
    assert text_answer.polarity > 0


def test_tallies_match_recount_after_many_mixed_responses(db, make_consultation, make_event):
    consultation_id = make_consultation()
    event_id = make_event(consultation_id)
    consultation, by_kind = _questions(db, consultation_id)
    event = db.session.get(Event, event_id)
    for index in range(12):
        raw = _full_answers(by_kind)
        if index % 3 == 0:
            raw.pop(by_kind[QuestionKind.MULTIPLE_CHOICE].field_name)
        answers = clean_answers(consultation.questions, raw)
        if index % 2:
            submit_response(
                consultation,
                answers,
                AboutYou(area="walsall"),
                channel=Channel.ROADSHOW,
                event=event,
            )
        else:
            submit_response(consultation, answers, AboutYou(), form_token=f"token-{index}")
        if index == 7:
            # Eight are added to the tally rows; the last four are still waiting to be.
            assert tallies.fold_batch() == 8
    db.session.commit()
    assert tallies.count_pending() == 4
    assert tallies.compare_tallies(consultation_id) == []
    stored = tallies.stored_tallies(consultation_id)
    assert stored.responses[(consultation_id, "roadshow", "walsall")] == 6
    assert stored.responses[(consultation_id, "online", "not_given")] == 6
    multiple = by_kind[QuestionKind.MULTIPLE_CHOICE].id
    assert sum(v for (q, _, _), v in stored.questions.items() if q == multiple) == 8


def test_recount_repairs_drifted_tallies(db, make_consultation):
    consultation, by_kind = _questions(db, make_consultation())
    submit_response(
        consultation, clean_answers(consultation.questions, _full_answers(by_kind)), AboutYou()
    )
    assert tallies.fold_batch() == 1
    db.session.execute(tallies.ResponseTally.__table__.update().values(count=99))
    assert tallies.compare_tallies(consultation.id) != []
    tallies.recount_tallies(consultation.id)
    assert tallies.compare_tallies(consultation.id) == []


def test_replayed_form_token_stores_one_response(db, make_consultation):
    consultation, by_kind = _questions(db, make_consultation())
    answers = clean_answers(consultation.questions, _full_answers(by_kind))
    first = submit_response(consultation, answers, AboutYou(), form_token="same-token")
    db.session.commit()
    with pytest.raises(DuplicateSubmission) as raised:
        submit_response(consultation, answers, AboutYou(), form_token="same-token")
    assert raised.value.reference == first.reference
    db.session.commit()
    assert _count(db, Response) == 1
    assert tallies.compare_tallies(consultation.id) == []


@pytest.mark.parametrize(
    "status", [ConsultationStatus.CLOSED, ConsultationStatus.DRAFT, ConsultationStatus.PUBLISHED]
)
def test_consultation_not_open_refuses_online_response(db, make_consultation, status):
    consultation, by_kind = _questions(db, make_consultation(status=status))
    answers = clean_answers(consultation.questions, _full_answers(by_kind))
    with pytest.raises(DomainError):
        submit_response(consultation, answers, AboutYou())
    assert _count(db, Response) == 0


def test_open_consultation_past_its_close_date_refuses(db, make_consultation):
    today = date.today()
    consultation, by_kind = _questions(
        db,
        make_consultation(opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)),
    )
    with pytest.raises(DomainError, match="closed on"):
        submit_response(
            consultation, clean_answers(consultation.questions, _full_answers(by_kind)), AboutYou()
        )


def test_required_questions_must_be_answered(db, make_consultation):
    consultation, by_kind = _questions(db, make_consultation(required=True))
    with pytest.raises(AnswerErrors) as raised:
        clean_answers(consultation.questions, {})
    assert len(raised.value.errors) == len(consultation.questions)
    assert raised.value.errors[by_kind[QuestionKind.FREE_TEXT].field_name].startswith("Enter")
    assert raised.value.errors[by_kind[QuestionKind.SINGLE_CHOICE].field_name].startswith("Select")


def test_option_of_another_question_is_refused(db, make_consultation):
    consultation, by_kind = _questions(db, make_consultation())
    single = by_kind[QuestionKind.SINGLE_CHOICE]
    foreign = by_kind[QuestionKind.AGREEMENT].options[0].id
    for bad in (str(foreign), "not-a-number", "999999"):
        with pytest.raises(AnswerErrors) as raised:
            clean_answers(consultation.questions, {single.field_name: [bad]})
        assert single.field_name in raised.value.errors


def test_two_answers_to_single_choice_are_refused(db, make_consultation):
    consultation, by_kind = _questions(db, make_consultation())
    single = by_kind[QuestionKind.SINGLE_CHOICE]
    with pytest.raises(AnswerErrors):
        clean_answers(
            consultation.questions, {single.field_name: [str(o.id) for o in single.options[:2]]}
        )


def test_free_text_over_its_limit_is_refused(db, make_consultation):
    consultation, by_kind = _questions(db, make_consultation())
    free = by_kind[QuestionKind.FREE_TEXT]
    with pytest.raises(AnswerErrors) as raised:
        clean_answers(consultation.questions, {free.field_name: ["x" * (free.max_length + 1)]})
    assert "characters or fewer" in raised.value.errors[free.field_name]


def test_answer_to_unknown_question_is_a_bad_request(db, make_consultation):
    consultation, _ = _questions(db, make_consultation())
    with pytest.raises(DomainError) as raised:
        clean_answers(consultation.questions, {"q999999": ["1"]})
    assert raised.value.status == 400


def test_about_you_checks_area_postcode_and_age(db):
    assert clean_about_you(AboutYou("solihull", "b91 ", "25_34")) == AboutYou(
        "solihull", "B91", "25_34"
    )
    with pytest.raises(AnswerErrors) as raised:
        clean_about_you(AboutYou("atlantis", "B91 1AA", "ancient"))
    assert set(raised.value.errors) == {"area", "postcode_district", "age_band"}


def test_empty_response_is_refused(db, make_consultation):
    consultation, _ = _questions(db, make_consultation())
    with pytest.raises(AnswerErrors):
        submit_response(consultation, [], AboutYou())


def test_paper_response_needs_an_event_of_the_consultation(db, make_consultation, make_event):
    consultation, by_kind = _questions(db, make_consultation())
    other = make_consultation(slug="another")
    foreign_event = db.session.get(Event, make_event(other))
    answers = clean_answers(consultation.questions, _full_answers(by_kind))
    with pytest.raises(DomainError):
        submit_response(consultation, answers, AboutYou(), channel=Channel.ROADSHOW, event=None)
    with pytest.raises(DomainError):
        submit_response(
            consultation, answers, AboutYou(), channel=Channel.ROADSHOW, event=foreign_event
        )
    assert _count(db, Response) == 0


def test_an_online_response_is_refused_if_its_consultation_changed_since_it_was_read(
    db, make_consultation
):
    """Checking and inserting are one statement: a closing in between cannot slip through."""
    consultation, by_kind = _questions(db, make_consultation())
    answers = clean_answers(consultation.questions, _full_answers(by_kind))
    as_read = consultations.get_submission_target(consultation.slug)
    consultation.status = ConsultationStatus.CLOSED
    db.session.commit()

    with pytest.raises(ConsultationChanged):
        submit_response(as_read, answers, AboutYou(), form_token="t-closed")
    db.session.rollback()
    assert _count(db, Response) == 0
