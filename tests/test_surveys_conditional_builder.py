"""Sections and display rules in the builder: what is refused, with what message, and why."""

import pytest
from sqlalchemy import select

from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys.models import Consultation, Option, QuestionKind
from engage.surveys.section_models import DisplayRule
from engage.surveys.services import builder, sections
from engage.surveys.services.builder import QuestionDetails
from engage.surveys.services.sections import RuleDetails

KINDS = (QuestionKind.YES_NO, QuestionKind.SINGLE_CHOICE, QuestionKind.FREE_TEXT)


@pytest.fixture
def survey(app, make_consultation):
    consultation_id = make_consultation(kinds=KINDS)
    with app.app_context():
        yield db.session.get(Consultation, consultation_id)


def _yes(question) -> list[int]:
    return [question.options[0].id]


def test_a_rule_on_an_earlier_question_is_kept_and_changes_the_revision(survey):
    drives, channel, why = survey.questions
    revision = survey.questions_revision
    sections.set_rule(survey, why, RuleDetails(drives.id, _yes(drives)))
    db.session.commit()

    rule = db.session.scalar(select(DisplayRule))
    assert (rule.question_id, rule.depends_on_id, rule.option_ids) == (
        why.id,
        drives.id,
        frozenset(_yes(drives)),
    )
    assert survey.questions_revision != revision
    assert why.conditions[0].description == "answered Yes to ‘Question about yes no unsure’"


@pytest.mark.parametrize("which", ["same", "later"])
def test_a_rule_on_the_same_or_a_later_question_is_refused(survey, which):
    drives, channel, _why = survey.questions
    source = drives if which == "same" else channel
    with pytest.raises(DomainError) as refused:
        sections.set_rule(survey, drives, RuleDetails(source.id, _yes(source)))
    expected = "its own answer" if which == "same" else "which comes later"
    assert expected in refused.value.message
    db.session.rollback()
    assert db.session.scalar(select(DisplayRule)) is None


def test_a_rule_on_an_option_of_another_question_or_a_deleted_one_is_refused(survey):
    drives, channel, why = survey.questions
    for option_ids in ([channel.options[0].id], [999_999]):
        with pytest.raises(DomainError) as refused:
            sections.set_rule(survey, why, RuleDetails(drives.id, option_ids))
        assert "was deleted or belongs to another question" in refused.value.message
        db.session.rollback()


def test_a_rule_on_free_text_or_with_no_answers_chosen_is_refused(survey):
    drives, channel, why = survey.questions
    with pytest.raises(DomainError, match="Choose at least one answer"):
        sections.set_rule(survey, why, RuleDetails(drives.id, []))
    with pytest.raises(DomainError, match="not free text"):
        sections.set_rule(survey, why, RuleDetails(why.id, []))


def test_a_section_rule_on_its_own_section_is_refused_as_a_loop(survey):
    drives, channel, why = survey.questions
    first = sections.add_section(survey, "About driving")
    sections.place_question(survey, drives, first.id)
    with pytest.raises(DomainError, match="a loop"):
        sections.set_rule(survey, first, RuleDetails(drives.id, _yes(drives)))


def test_moving_a_section_before_the_question_its_rule_uses_is_refused(survey):
    drives, channel, why = survey.questions
    first = sections.add_section(survey, "Driving")
    second = sections.add_section(survey, "Why")
    sections.place_question(survey, drives, first.id)
    sections.place_question(survey, why, second.id)
    sections.set_rule(survey, second, RuleDetails(drives.id, _yes(drives)))
    db.session.commit()
    with pytest.raises(DomainError, match="comes later"):
        sections.move_section(survey, second, "up")
    db.session.rollback()
    assert [s.title for s in survey.sections] == ["Driving", "Why"]


def test_deleting_a_question_or_removing_an_option_a_rule_uses_is_refused(survey):
    drives, channel, why = survey.questions
    sections.set_rule(survey, why, RuleDetails(channel.id, [channel.options[1].id]))
    db.session.commit()
    with pytest.raises(DomainError, match="decides who is asked"):
        builder.delete_question(channel)
    db.session.rollback()
    details = QuestionDetails(
        QuestionKind.SINGLE_CHOICE, channel.prompt, options=["Text", "An app"]
    )
    with pytest.raises(DomainError, match="‘Social media’ decides who is asked"):
        builder.update_question(channel, details)
    db.session.rollback()
    assert (
        len(db.session.scalars(select(Option).where(Option.question_id == channel.id)).all()) == 3
    )


def test_a_rule_cannot_change_once_its_question_has_answers(survey, make_response):
    drives, channel, why = survey.questions
    sections.set_rule(survey, why, RuleDetails(drives.id, _yes(drives)))
    db.session.commit()
    make_response(survey.id, {QuestionKind.YES_NO: [0], QuestionKind.FREE_TEXT: "Too fast"})
    with pytest.raises(DomainError, match="would change who was asked"):
        sections.set_rule(survey, why, RuleDetails(drives.id, [drives.options[1].id]))
    db.session.rollback()
    with pytest.raises(DomainError, match="would change who was asked"):
        sections.clear_rule(survey, why)
    db.session.rollback()
    # The same rule again changes nothing, so it is allowed.
    sections.set_rule(survey, why, RuleDetails(drives.id, _yes(drives)))


def test_moving_an_answered_question_into_a_section_with_a_rule_is_refused(survey, make_response):
    drives, channel, why = survey.questions
    later = sections.add_section(survey, "Later")
    sections.set_rule(survey, later, RuleDetails(drives.id, _yes(drives)))
    db.session.commit()
    make_response(survey.id, {QuestionKind.FREE_TEXT: "Anything"})
    with pytest.raises(DomainError, match="change who is asked it"):
        sections.place_question(survey, why, later.id)


def test_a_section_title_is_required_and_bounded(survey):
    with pytest.raises(DomainError, match="Enter the section's title"):
        sections.add_section(survey, "   ")
    with pytest.raises(DomainError, match="200 characters or fewer"):
        sections.add_section(survey, "x" * 201)


@pytest.fixture
def builder_client(client, login):
    login(client, Role.CONSULTATION)
    return client


def test_staff_add_a_section_place_a_question_and_give_it_a_rule_in_the_browser(
    app, builder_client, make_consultation
):
    consultation_id = make_consultation(kinds=KINDS)
    base = f"/staff/consultations/{consultation_id}"
    assert "No sections" in builder_client.get(f"{base}/sections").get_data(as_text=True)

    assert builder_client.post(f"{base}/sections", data={"title": "Driving"}).status_code == 303
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        drives, _channel, why = consultation.questions
        section_id = consultation.sections[0].id
        drives_id, why_id, yes_id = drives.id, why.id, drives.options[0].id
    placed = builder_client.post(f"{base}/questions/{why_id}/section", data={"section": section_id})
    assert placed.status_code == 303

    step_one = builder_client.get(f"{base}/questions/{why_id}/rule").get_data(as_text=True)
    assert "Earlier question" in step_one and "Answers to" not in step_one
    step_two = builder_client.get(f"{base}/questions/{why_id}/rule?depends_on={drives_id}")
    assert "Answers to ‘Question about yes no unsure?’" in step_two.get_data(as_text=True)
    saved = builder_client.post(
        f"{base}/questions/{why_id}/rule", data={"depends_on": drives_id, "options": yes_id}
    )
    assert saved.status_code == 303
    listing = builder_client.get(f"{base}/sections").get_data(as_text=True)
    assert "Asked only of people who answered Yes to ‘Question about yes no unsure?’" in listing

    removed = builder_client.post(f"{base}/questions/{why_id}/rule", data={"action": "remove"})
    assert removed.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(DisplayRule)) is None


def test_a_bad_rule_in_the_browser_is_explained_and_nothing_is_saved(
    app, builder_client, make_consultation
):
    consultation_id = make_consultation(kinds=KINDS)
    base = f"/staff/consultations/{consultation_id}"
    with app.app_context():
        drives, channel, _why = db.session.get(Consultation, consultation_id).questions
        drives_id, channel_option = drives.id, channel.options[0].id

    refused = builder_client.post(
        f"{base}/questions/{drives_id}/rule",
        data={"depends_on": drives_id, "options": channel_option},
    )
    assert refused.status_code == 422
    assert "There is a problem" in refused.get_data(as_text=True)
    empty = builder_client.post(f"{base}/sections", data={"title": " "})
    assert empty.status_code == 422
    assert "Enter the section&#39;s title" in empty.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(DisplayRule)) is None
