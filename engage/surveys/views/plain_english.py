"""Plain English in the builder: the check as a template filter, and as a fragment for typing."""

from flask import render_template, request

from engage.analysis.plain_english import PlainEnglish, check_plain_english
from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.surveys import staff_bp
from engage.surveys.models import SUMMARY_MAX

# The longest text staff write in the builder (a summary); longer is not ours.
TEXT_MAX = SUMMARY_MAX


@staff_bp.app_template_filter("plain_english")
def plain_english_filter(text: str | None) -> PlainEnglish:
    """The plain English check of a saved or just-typed text, for the builder's pages."""
    return check_plain_english(text or "")


@staff_bp.post("/plain-english")
@roles_required(Role.CONSULTATION)
def plain_english():
    """The check of the text being typed, as the HTML the builder's script puts in place."""
    text = request.form.get("text", "")
    if len(text) > TEXT_MAX:
        raise DomainError(f"Check {TEXT_MAX:,} characters or fewer at a time.", status=413)
    return render_template(
        "surveys/staff/_plain_english_body.html", check=check_plain_english(text)
    )
