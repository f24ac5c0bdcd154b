"""A consultation with sections, answered one section per page.

Questions in no section come first, on a page of their own. A page after the questions' pages
asks "about you", keeping in touch and consent, then comes "Check your answers". Rules whose
question is on an earlier page are applied here, between pages: a page or question they hide
is skipped. A rule on a question of the same page is left to the browser (revealed in place
with JavaScript, simply shown without it) and to the server's check of the posted answers,
which drops the answer to a question that was not asked.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engage.surveys.models import Consultation, Question
from engage.surveys.section_models import Condition, Section
from engage.surveys.services.responses import AnswerErrors, clean_answers, clean_leniently


@dataclass
class Page:
    number: int  # from 1
    section: Section | None
    questions: list[Question]

    @property
    def title(self) -> str:
        return self.section.title if self.section else "Your views"

    @property
    def field_names(self) -> set[str]:
        return {question.field_name for question in self.questions}


def question_pages(consultation: Consultation) -> list[Page]:
    """The pages of questions; none for a consultation without sections (one form, as before)."""
    if not consultation.sections:
        return []
    pages: list[Page] = []
    loose = [question for question in consultation.ordered_questions if question.section is None]
    if loose:
        pages.append(Page(1, None, loose))
    for section in consultation.sections:
        questions = [q for q in consultation.ordered_questions if q.section_id == section.id]
        if questions:
            pages.append(Page(len(pages) + 1, section, questions))
    return pages


def chosen_so_far(consultation: Consultation, values: Mapping[str, Sequence[str]]) -> dict:
    """{question id: chosen option ids} from the valid answers kept so far."""
    answers = clean_leniently(consultation.ordered_questions, values)
    return {answer.question.id: answer.option_ids for answer in answers}


def shown_questions(page: Page, chosen: Mapping[int, Sequence[int]]) -> list[Question]:
    """The page's questions whose rules about earlier pages' answers are met."""
    here = {question.id for question in page.questions}
    return [
        question
        for question in page.questions
        if all(
            condition.depends_on_id in here or condition.is_met(chosen)
            for condition in question.conditions
        )
    ]


def revealed_in_place(page: Page) -> dict[int, Condition]:
    """{question id: its rule on a question of the same page}, for the browser to apply."""
    here = {question.id for question in page.questions}
    reveal = {}
    for question in page.questions:
        for condition in question.conditions:
            if condition.depends_on_id in here:
                reveal[question.id] = condition
    return reveal


def next_page(pages: list[Page], after: int, chosen: Mapping[int, Sequence[int]]) -> int:
    """The number of the first page after `after` with a question to ask; past the last page of
    questions, the "about you" page (len(pages) + 1)."""
    for page in pages[after:]:
        if shown_questions(page, chosen):
            return page.number
    return len(pages) + 1


def previous_page(pages: list[Page], before: int, chosen: Mapping[int, Sequence[int]]) -> int:
    """The number of the last page before `before` with a question to ask (0 if none)."""
    for page in reversed(pages[: before - 1]):
        if shown_questions(page, chosen):
            return page.number
    return 0


def check_page(
    consultation: Consultation, pages: list[Page], number: int, raw: Mapping[str, Sequence[str]]
) -> None:
    """Raise AnswerErrors for the problems with page `number`'s answers (earlier pages' answers
    decide which of its questions are asked; later pages are not looked at)."""
    page = pages[number - 1]
    up_to = [question for each in pages[:number] for question in each.questions]
    fields = {question.field_name for question in up_to}
    try:
        clean_answers(up_to, {name: given for name, given in raw.items() if name in fields})
    except AnswerErrors as problem:
        errors = {
            name: message for name, message in problem.errors.items() if name in page.field_names
        }
        if errors:
            raise AnswerErrors(errors) from None


def merge_page(
    kept: Mapping[str, list[str]], posted: Mapping[str, list[str]], replaced: set[str]
) -> dict[str, list[str]]:
    """The draft's values with the fields of one page (`replaced`) replaced by what was posted:
    a radio or checkbox left empty sends nothing, so it must clear the earlier answer."""
    merged = {name: given for name, given in kept.items() if name not in replaced}
    merged.update(posted)
    return merged
