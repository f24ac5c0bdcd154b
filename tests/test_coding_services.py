from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.analysis.agreement import kappa_per_code
from engage.auth.models import StaffUser
from engage.coding import services
from engage.coding.models import (
    Code,
    CodedText,
    CodeEventKind,
    CodeStatus,
    Coding,
    CodingPass,
    CodingSource,
)
from engage.core.errors import DomainError
from engage.social.models import Platform, SocialPost
from engage.surveys.models import Answer, Consultation, QuestionKind

TEXTS = [
    "The street lights on my road are always off",
    "Cars speed past the school every morning",
    "I never see police officers walking round here",
    "Dark streets and speeding cars at night",
    "More patrols please",
]


@pytest.fixture
def question(db, make_consultation, make_response):
    """A free-text question with TEXTS as its answers, plus an unanswered response."""
    consultation_id = make_consultation(kinds=(QuestionKind.FREE_TEXT, QuestionKind.YES_NO))
    for text in TEXTS:
        make_response(consultation_id, {QuestionKind.FREE_TEXT: text})
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    consultation = db.session.get(Consultation, consultation_id)
    return next(q for q in consultation.questions if q.kind == QuestionKind.FREE_TEXT)


@pytest.fixture
def answers(db, question):
    return list(
        db.session.scalars(
            select(Answer.id).where(Answer.question_id == question.id).order_by(Answer.id)
        )
    )


@pytest.fixture
def staff(db, make_staff):
    """Return the next of four staff members, in turn; made before the test writes anything."""
    emails = [make_staff() for _ in range(4)]
    people = iter(
        db.session.scalars(select(StaffUser).where(StaffUser.email.in_(emails))).all() * 4
    )
    return lambda: next(people)


@pytest.fixture
def frame(db, question, staff):
    frame = services.frame_for_question(question)
    coder = staff()
    for name in ("Street lighting", "Speeding", "Police visibility"):
        services.accept_theme(frame, name, coder, terms="street lighting, dark, lights")
    db.session.commit()
    return frame


def code_named(frame, name):
    return next(code for code in frame.codes if code.name == name)


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_question_has_one_frame_and_only_free_text_questions_have_one(db, question):
    frame = services.frame_for_question(question)
    assert services.frame_for_question(question) is frame
    yes_no = next(q for q in question.consultation.questions if q is not question)
    with pytest.raises(DomainError, match="Only free-text"):
        services.frame_for_question(yes_no)


def test_accepting_a_theme_adds_an_active_code_with_its_history(db, frame):
    code = code_named(frame, "Street lighting")
    assert code.status == CodeStatus.ACTIVE
    [event] = code.events
    assert event.kind == CodeEventKind.ACCEPTED
    assert event.note == "street lighting, dark, lights"
    assert event.staff_id is not None
    assert event.at.tzinfo is not None


def test_a_name_already_in_use_is_refused_whatever_its_case(db, frame, staff):
    before = count(db, Code)
    for name in ("street  LIGHTING", " Speeding "):
        with pytest.raises(DomainError, match="already a code called") as raised:
            services.accept_theme(frame, name, staff())
        assert raised.value.field == "name"
    with pytest.raises(DomainError, match="Enter a name"):
        services.accept_theme(frame, "   ", staff())
    with pytest.raises(DomainError, match="80 characters or fewer"):
        services.accept_theme(frame, "x" * 81, staff())
    db.session.rollback()
    assert count(db, Code) == before


def test_the_database_refuses_two_active_codes_of_one_name(db, frame):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Code(frame_id=frame.id, name="SPEEDING", name_key="speeding"))
        db.session.flush()
    db.session.add(
        Code(frame_id=frame.id, name="Speeding", name_key="speeding", status=CodeStatus.REJECTED)
    )
    db.session.flush()


def test_a_rejected_theme_is_on_record_and_cannot_be_applied(db, frame, staff, answers):
    rejected = services.reject_theme(frame, "weather, rain, today", staff(), terms="weather")
    assert rejected.status == CodeStatus.REJECTED
    assert [event.kind for event in rejected.events] == [CodeEventKind.REJECTED]
    # Turned down as a theme, the name stays free for a code.
    services.accept_theme(frame, "Weather, rain, today", staff())
    with pytest.raises(DomainError, match="rejected"):
        services.assign_codes(frame, staff(), [rejected.id], answer_id=answers[0])


def test_a_renamed_code_keeps_its_old_name_in_its_history(db, frame, staff):
    code = code_named(frame, "Speeding")
    services.rename_code(code, "Speeding cars", staff())
    services.rename_code(code, "speeding cars", staff())
    db.session.commit()
    assert code.name == "speeding cars"
    renames = [(e.old_name, e.new_name) for e in code.events if e.kind == CodeEventKind.RENAMED]
    assert renames == [("Speeding", "Speeding cars"), ("Speeding cars", "speeding cars")]
    with pytest.raises(DomainError, match="already a code called"):
        services.rename_code(code, "Police Visibility", staff())
    with pytest.raises(DomainError, match="already called"):
        services.rename_code(code, "speeding cars", staff())
    db.session.rollback()
    assert code.name == "speeding cars"


def test_codes_are_applied_exactly_as_saved_with_who_and_when(db, frame, staff, answers):
    coder = staff()
    lighting, speeding = code_named(frame, "Street lighting"), code_named(frame, "Speeding")
    coded = services.assign_codes(frame, coder, [lighting.id, speeding.id], answer_id=answers[3])
    db.session.commit()
    assert {coding.code_id for coding in coded.codings} == {lighting.id, speeding.id}
    assert all(
        c.assigned_by_id == coder.id and c.source == CodingSource.HUMAN for c in coded.codings
    )
    assert coded.coder_id == coder.id
    assert coded.coded_at.tzinfo is not None
    services.assign_codes(frame, staff(), [speeding.id], answer_id=answers[3])
    db.session.commit()
    assert [coding.code_id for coding in coded.codings] == [speeding.id]
    # The coding of speeding is still the first coder's: they applied it.
    assert coded.codings[0].assigned_by_id == coder.id
    # No code applies: the text is coded all the same.
    services.assign_codes(frame, coder, [], answer_id=answers[4])
    db.session.commit()
    assert services.coding_progress(frame).coded == 2
    assert count(db, CodedText) == 2


def test_a_text_or_code_from_elsewhere_is_refused_and_nothing_is_stored(
    db, frame, staff, answers, make_consultation, make_response
):
    other_id = make_consultation(slug="other", kinds=(QuestionKind.FREE_TEXT,))
    make_response(other_id, {QuestionKind.FREE_TEXT: "Somewhere else"})
    other_question = db.session.get(Consultation, other_id).questions[0]
    other_answer = db.session.scalar(
        select(Answer.id).where(Answer.question_id == other_question.id)
    )
    other_frame = services.frame_for_question(other_question)
    foreign = services.accept_theme(other_frame, "Elsewhere", staff())
    db.session.commit()
    lighting = code_named(frame, "Street lighting")
    with pytest.raises(DomainError, match="not a written answer to this question"):
        services.assign_codes(frame, staff(), [lighting.id], answer_id=other_answer)
    with pytest.raises(DomainError, match="not in this frame"):
        services.assign_codes(frame, staff(), [foreign.id], answer_id=answers[0])
    with pytest.raises(DomainError, match="not a written answer"):
        services.assign_codes(frame, staff(), [lighting.id], answer_id=10**9)
    db.session.rollback()
    assert count(db, CodedText) == 0
    assert count(db, Coding) == 0


def test_merging_moves_codings_and_keeps_both_codes_history(db, frame, staff, answers):
    coder = staff()
    lighting, speeding, police = (
        code_named(frame, name) for name in ("Street lighting", "Speeding", "Police visibility")
    )
    services.assign_codes(frame, coder, [lighting.id, speeding.id], answer_id=answers[3])
    services.assign_codes(frame, coder, [speeding.id], answer_id=answers[1])
    services.assign_codes(frame, coder, [lighting.id], answer_id=answers[0])
    moved = services.merge_codes([speeding], lighting, staff())
    db.session.commit()
    # answers[1] moved; answers[3] had both and keeps one coding of the target.
    assert moved == 1
    assert speeding.status == CodeStatus.MERGED
    assert speeding.merged_into is lighting
    assert speeding.name == "Speeding"
    assert [e.kind for e in speeding.events][-1] == CodeEventKind.MERGED_INTO
    absorbed = [e for e in lighting.events if e.kind == CodeEventKind.ABSORBED]
    assert [(e.other_code_id, e.old_name) for e in absorbed] == [(speeding.id, "Speeding")]
    assert services.coding_progress(frame).by_code == {lighting.id: 3, police.id: 0}
    with pytest.raises(DomainError, match="was merged into “Street lighting”"):
        services.assign_codes(frame, coder, [speeding.id], answer_id=answers[2])
    with pytest.raises(DomainError, match="into itself"):
        services.merge_codes([lighting], lighting, staff())
    with pytest.raises(DomainError, match="Choose the codes"):
        services.merge_codes([], lighting, staff())


def test_the_second_coding_must_be_someone_else_and_kappa_compares_the_two(
    db, frame, staff, answers
):
    first, second = staff(), staff()
    lighting, speeding, police = (
        code_named(frame, name) for name in ("Street lighting", "Speeding", "Police visibility")
    )
    first_codes = [[lighting.id], [speeding.id], [police.id], [lighting.id, speeding.id], []]
    second_codes = [[lighting.id], [speeding.id], [], [lighting.id], [police.id]]
    for answer_id, codes in zip(answers, first_codes, strict=True):
        services.assign_codes(frame, first, codes, answer_id=answer_id)
    with pytest.raises(DomainError, match="someone other than the first coder"):
        services.assign_codes(frame, first, [lighting.id], answer_id=answers[0], second=True)
    for answer_id, codes in zip(answers, second_codes, strict=True):
        services.assign_codes(frame, second, codes, answer_id=answer_id, second=True)
    db.session.commit()
    # Nor can the second coder then redo the first coding of a text they second-coded.
    with pytest.raises(DomainError, match="someone other"):
        services.assign_codes(frame, second, [lighting.id], answer_id=answers[0])
    # A third person who keeps the first coder's code does not make the first coder independent.
    services.assign_codes(frame, staff(), [lighting.id], answer_id=answers[0])
    with pytest.raises(DomainError, match="someone other"):
        services.assign_codes(frame, first, [], answer_id=answers[0], second=True)
    db.session.rollback()

    agreement = services.kappa_for_frame(frame)
    assert agreement.texts == [(answer_id, None) for answer_id in answers]
    expected = kappa_per_code(
        [set(c) for c in first_codes], [set(c) for c in second_codes], [c.id for c in frame.codes]
    )
    assert agreement.per_code == expected
    assert agreement.overall.texts == 5
    assert [(d.text_index, d.code, d.applied_by_a) for d in agreement.disagreements] == [
        (2, police.id, True),
        (3, speeding.id, True),
        (4, police.id, False),
    ]
    progress = services.coding_progress(frame)
    assert (progress.texts, progress.coded, progress.double_coded) == (5, 5, 5)
    assert progress.by_code == {lighting.id: 2, speeding.id: 2, police.id: 1}


def test_machine_suggestions_say_so_and_a_person_can_take_them_over(db, frame, staff, answers):
    lighting, speeding = code_named(frame, "Street lighting"), code_named(frame, "Speeding")
    coded = services.store_machine_codes(
        frame, {lighting.id: 0.91, speeding.id: 0.55}, answer_id=answers[3]
    )
    db.session.commit()
    assert {(c.source, c.assigned_by_id, c.confidence) for c in coded.codings} == {
        (CodingSource.MACHINE, None, 0.91),
        (CodingSource.MACHINE, None, 0.55),
    }
    assert services.coding_progress(frame).suggested_only == 1
    assert services.coding_progress(frame).coded == 0
    coder = staff()
    services.assign_codes(frame, coder, [lighting.id], answer_id=answers[3])
    db.session.commit()
    [kept] = coded.codings
    assert (kept.code_id, kept.source, kept.assigned_by_id, kept.confidence) == (
        lighting.id,
        CodingSource.HUMAN,
        coder.id,
        0.91,
    )
    # A text a person coded keeps their codes.
    assert services.store_machine_codes(frame, {speeding.id: 0.99}, answer_id=answers[3]) is None
    assert [c.code_id for c in coded.codings] == [lighting.id]
    with pytest.raises(ValueError, match="between 0 and 1"):
        services.store_machine_codes(frame, {speeding.id: 1.5}, answer_id=answers[0])


def test_the_database_refuses_duplicate_codings_and_machine_codings_without_confidence(
    db, frame, staff, answers
):
    coded = services.assign_codes(
        frame, staff(), [code_named(frame, "Speeding").id], answer_id=answers[1]
    )
    db.session.commit()
    duplicates = [
        CodedText(frame_id=frame.id, answer_id=answers[1], coding_pass=CodingPass.FIRST),
        Coding(
            coded_text_id=coded.id,
            code_id=code_named(frame, "Speeding").id,
            source=CodingSource.HUMAN,
            assigned_by_id=coded.coder_id,
        ),
        Coding(
            coded_text_id=coded.id,
            code_id=code_named(frame, "Police visibility").id,
            source=CodingSource.MACHINE,
        ),
    ]
    for row in duplicates:
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(row)
            db.session.flush()


def test_posts_in_a_campaign_are_coded_like_answers(db, make_campaign, staff):
    campaign_id = make_campaign()
    posts = [
        SocialPost(
            campaign_id=campaign_id,
            platform=Platform.X,
            external_id=str(1000 + i),
            text=text,
            created_at=datetime.now(UTC),
        )
        for i, text in enumerate(TEXTS[:2])
    ]
    db.session.add_all(posts)
    db.session.flush()
    from engage.social.models import Campaign

    frame = services.frame_for_campaign(db.session.get(Campaign, campaign_id))
    code = services.accept_theme(frame, "Speeding", staff())
    services.assign_codes(frame, staff(), [code.id], post_id=posts[1].id)
    db.session.commit()
    progress = services.coding_progress(frame)
    assert (progress.texts, progress.coded, progress.by_code) == (2, 1, {code.id: 1})
    with pytest.raises(DomainError, match="not in this campaign"):
        services.assign_codes(frame, staff(), [code.id], post_id=10**9)


def test_a_description_is_kept_in_the_history_and_bounded(db, frame, staff):
    code = code_named(frame, "Speeding")
    services.describe_code(code, "  Drivers going too fast, racing.  ", staff())
    assert code.description == "Drivers going too fast, racing."
    assert code.events[-1].kind == CodeEventKind.DESCRIBED
    with pytest.raises(DomainError, match="1,000 characters or fewer") as raised:
        services.describe_code(code, "x" * 1001, staff())
    assert raised.value.field == "description"
    assert code.description == "Drivers going too fast, racing."


def save_at_once(app, frame_id, staff_id, code_ids, answer_id, barrier, outcomes):
    """One coder saving a text's codes, in its own thread, app context, session and connection."""
    from engage.coding.models import CodeFrame
    from engage.core.extensions import db

    with app.app_context():
        frame = db.session.get(CodeFrame, frame_id)
        coder = db.session.get(StaffUser, staff_id)
        barrier.wait()
        try:
            services.assign_codes(frame, coder, code_ids, answer_id=answer_id)
            db.session.commit()
            outcomes.append("saved")
        except DomainError as error:
            db.session.rollback()
            outcomes.append(error.status)
        finally:
            db.session.remove()


def test_two_coders_saving_one_text_at_once_leave_one_coding_of_it(app, db, frame, staff, answers):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time, so the saves cannot overlap")
    import threading

    coders = [staff().id, staff().id]
    lighting = code_named(frame, "Street lighting").id
    db.session.commit()
    for answer_id in answers:
        barrier = threading.Barrier(2)
        outcomes = []
        threads = [
            threading.Thread(
                target=save_at_once,
                args=(app, frame.id, coder, [lighting], answer_id, barrier, outcomes),
            )
            for coder in coders
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        # Each save either went through or was refused with a conflict, never duplicated.
        assert "saved" in outcomes
        assert set(outcomes) <= {"saved", 409}
    db.session.expire_all()
    assert count(db, CodedText) == len(answers)
    assert count(db, Coding) == len(answers)
