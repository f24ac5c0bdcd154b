"""Reading a survey form's answers, online or keyed in from paper, and ordering its errors."""

import re
from collections.abc import Mapping, Sequence

from werkzeug.datastructures import MultiDict

from engage.surveys.services.responses import AboutYou

QUESTION_FIELD = re.compile(r"q\d+")
ABOUT_YOU_FIELDS = ("area", "postcode_district", "age_band")


def read_answers(form: MultiDict) -> dict[str, list[str]]:
    """The values posted for each question field (`q<ID>`), unjudged."""
    return {name: form.getlist(name) for name in form if QUESTION_FIELD.fullmatch(name)}


def read_about_you(form: MultiDict) -> AboutYou:
    return AboutYou(**{name: form.get(name) for name in ABOUT_YOU_FIELDS})


def errors_in_page_order(
    questions: Sequence, errors: Mapping[str, str], later_fields: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(field, message) pairs in the order the fields appear, for the error summary."""
    order = [question.field_name for question in questions]
    order += [*ABOUT_YOU_FIELDS, *later_fields]
    listed = [(name, errors[name]) for name in order if name in errors]
    listed += [(name, message) for name, message in errors.items() if name not in order]
    return listed
