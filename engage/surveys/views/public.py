"""Public pages: answering a consultation, checking the answers, sending them, the confirmation.

Post/redirect/get throughout: "Continue" stores the checked answers (services/drafts.py) and
redirects to the check page, "Send" redirects to the confirmation, so Back and reload only ever
repeat a GET and never ask to send the form again.
"""

from flask import current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from engage.core.areas import RESPONDENT_AREAS
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys import bp, jobs, update_jobs
from engage.surveys.models import AGE_BAND_LABELS, Consultation
from engage.surveys.services import consultations, drafts, form_tokens, pages
from engage.surveys.services.contacts import ContactChoice
from engage.surveys.services.references import new_reference
from engage.surveys.services.responses import AnswerErrors, DuplicateSubmission
from engage.surveys.services.submissions import (
    SubmissionInput,
    check_submission,
    send_online_submission,
)
from engage.surveys.views.answer_forms import (
    ABOUT_YOU_FIELDS,
    QUESTION_FIELD,
    errors_in_page_order,
    read_about_you,
    read_answers,
)
from engage.web.rate_limits import count_request, counts_its_own_limit

HONEYPOT_FIELD = "website"
RECEIPT_KEY = "receipt"
DRAFT_KEY = "draft"
# Kept in the session between "Continue" and "Send", never with the answers in the database.
CONTACT_FIELDS = ("wants_updates", "prize_draw", "contact_name", "contact_email")
DRAFT_FIELDS = (*ABOUT_YOU_FIELDS, "consent", "form_token", HONEYPOT_FIELD)


def _read_submission(form: MultiDict | None = None) -> SubmissionInput:
    """Turn the posted form (or a draft's values) into plain values; nothing is judged here."""
    form = request.form if form is None else form
    return SubmissionInput(
        answers=read_answers(form),
        about=read_about_you(form),
        contact=ContactChoice(
            wants_updates=form.get("wants_updates") == "yes",
            prize_draw=form.get("prize_draw") == "yes",
            name=form.get("contact_name", ""),
            email=form.get("contact_email", ""),
        ),
        consent=form.get("consent") == "yes",
    )


def _render_form(
    item: Consultation,
    form_token: str | None,
    values=None,
    errors=None,
    status=200,
    page: pages.Page | None = None,
    final: bool = True,
):
    """The one-page form, or with sections the page `page` (None: the "about you" page)."""
    errors = errors or {}
    question_pages = pages.question_pages(item)
    if question_pages:
        chosen = pages.chosen_so_far(item, values or {})
        shown = pages.shown_questions(page, chosen) if page else []
        number = page.number if page else len(question_pages) + 1
        action = url_for("surveys.survey_page", slug=item.slug, number=number)
        back = pages.previous_page(question_pages, number, chosen)
        back_url = url_for("surveys.survey_page", slug=item.slug, number=back) if back else None
    else:
        page = pages.Page(1, None, item.ordered_questions)
        shown, number = page.questions, 1
        action, back_url = url_for("surveys.check_answers", slug=item.slug), None
    ordered_errors = errors_in_page_order(
        shown, errors, ("contact_name", "contact_email", "consent")
    )
    return (
        render_template(
            "surveys/public/consultation.html",
            consultation=item,
            form_token=form_token,
            values=values if values is not None else {},
            errors=errors,
            error_list=ordered_errors,
            age_bands=[(band, gettext(label)) for band, label in AGE_BAND_LABELS.items()],
            area_choices=[(area.slug, area.name) for area in RESPONDENT_AREAS],
            page=page if question_pages else None,
            page_number=number,
            page_count=len(question_pages) + 1,
            page_questions=shown,
            reveal=pages.revealed_in_place(page) if page else {},
            final=final or page is None,
            action=action,
            back_url=back_url,
        ),
        status,
    )


def _render_closed(item: Consultation, message: str, status: int):
    return render_template("surveys/public/closed.html", consultation=item, message=message), status


def _draft_values(item: Consultation) -> dict[str, list[str]] | None:
    """The answers this person has checked but not sent, with their contact details, or None."""
    draft = session.get(DRAFT_KEY)
    if not draft or draft.get("slug") != item.slug:
        return None
    values = drafts.read_draft(item.id, draft.get("key"))
    if values is None:
        return None
    return {**values, **draft.get("contact", {})}


def _accepting(slug: str):
    """The consultation, and the page saying it has closed if it takes no answers now."""
    item = consultations.get_public_consultation(slug)
    try:
        consultations.ensure_accepting_online(item)
    except DomainError as closed:
        return item, _render_closed(item, closed.message, 200)
    return item, None


def _token_of(values: dict[str, list[str]]) -> str:
    return (values.get("form_token") or [""])[0]


@bp.get("/consultations/<slug>")
def consultation(slug: str):
    """The form: empty, or with the answers checked but not sent yet (Back, or "Change")."""
    item, closed_page = _accepting(slug)
    if closed_page:
        return closed_page
    values = _draft_values(item)
    question_pages = pages.question_pages(item)
    if question_pages:
        number = pages.next_page(question_pages, 0, pages.chosen_so_far(item, values or {}))
        if number > len(question_pages):  # every section hidden: only "about you" to ask
            return redirect(url_for("surveys.survey_page", slug=slug, number=number))
        page = question_pages[number - 1]
        token = _token_of(values) if values else ""
        return _render_form(
            item, token or form_tokens.issue_form_token(), values, page=page, final=False
        )
    if values and _token_of(values):
        return _render_form(item, _token_of(values), values)
    return _render_form(item, form_tokens.issue_form_token())


@bp.post("/consultations/<slug>")
def check_answers(slug: str):
    """Keep checked answers for the check page and go there, or show what needs fixing."""
    item = consultations.get_public_consultation(slug)
    form_token = request.form.get("form_token")
    form_tokens.read_form_token(form_token)
    values = request.form.to_dict(flat=False)
    try:
        check_submission(item, _read_submission())
    except AnswerErrors as problem:
        return _render_form(item, form_token, values, problem.errors, 422)
    except DomainError as refused:
        if refused.status == 400:
            raise
        return _render_closed(item, refused.message, refused.status)
    keep_draft(item, values)
    return redirect(url_for("surveys.check_your_answers", slug=slug), code=303)


def keep_draft(item: Consultation, values: dict[str, list[str]]) -> None:
    """Store the answers for later pages and the check page; contact details in the session."""
    earlier = session.get(DRAFT_KEY) or {}
    kept = {
        name: given
        for name, given in values.items()
        if name in DRAFT_FIELDS or QUESTION_FIELD.fullmatch(name)
    }
    key = drafts.save_draft(item.id, kept, earlier.get("key"))
    db.session.commit()
    session[DRAFT_KEY] = {
        "slug": item.slug,
        "key": key,
        "contact": {name: values[name] for name in CONTACT_FIELDS if name in values},
    }


@bp.route("/consultations/<slug>/page/<int:number>", methods=["GET", "POST"])
def survey_page(slug: str, number: int):
    """One section of a consultation with sections; the page after the last asks "about you".

    Continue keeps the page's answers in the draft and goes to the next page with a question
    to ask (rules on earlier answers are applied here), after the last to the check page.
    """
    item, closed_page = _accepting(slug)
    if closed_page:
        return closed_page
    question_pages = pages.question_pages(item)
    if not question_pages:
        return redirect(url_for("surveys.consultation", slug=slug))
    if not 1 <= number <= len(question_pages) + 1:
        raise DomainError("There is no such page in this survey.", status=404)
    page = question_pages[number - 1] if number <= len(question_pages) else None
    kept = _draft_values(item)
    if request.method == "GET":
        if kept is None:
            return redirect(url_for("surveys.consultation", slug=slug))
        chosen = pages.chosen_so_far(item, kept)
        if page is not None and not pages.shown_questions(page, chosen):
            following = pages.next_page(question_pages, number, chosen)
            return redirect(url_for("surveys.survey_page", slug=slug, number=following))
        return _render_form(item, _token_of(kept), kept, page=page, final=page is None)
    form_token = request.form.get("form_token")
    form_tokens.read_form_token(form_token)
    posted = request.form.to_dict(flat=False)
    posted.pop("csrf_token", None)
    if page is not None:
        values = pages.merge_page(kept or {}, posted, page.field_names)
        try:
            pages.check_page(item, question_pages, number, values)
        except AnswerErrors as problem:
            return _render_form(item, form_token, values, problem.errors, 422, page, False)
        keep_draft(item, values)
        following = pages.next_page(question_pages, number, pages.chosen_so_far(item, values))
        return redirect(url_for("surveys.survey_page", slug=slug, number=following), code=303)
    values = pages.merge_page(kept or {}, posted, {*ABOUT_YOU_FIELDS, *CONTACT_FIELDS, "consent"})
    try:
        check_submission(item, _read_submission(MultiDict(values)))
    except AnswerErrors as problem:
        return _render_page_with_errors(item, question_pages, form_token, values, problem.errors)
    except DomainError as refused:
        if refused.status == 400:
            raise
        return _render_closed(item, refused.message, refused.status)
    keep_draft(item, values)
    return redirect(url_for("surveys.check_your_answers", slug=slug), code=303)


def _render_page_with_errors(item, question_pages, form_token, values, errors):
    """The first page with a problem (a question's, or the "about you" page's), showing it."""
    if not question_pages:
        return _render_form(item, form_token, values, errors, 422)
    for page in question_pages:
        mine = {name: message for name, message in errors.items() if name in page.field_names}
        if mine:
            return _render_form(item, form_token, values, mine, 422, page, False)
    return _render_form(item, form_token, values, errors, 422, None, True)


@bp.get("/consultations/<slug>/check")
def check_your_answers(slug: str):
    """Show the kept answers back for checking, with the button that sends them."""
    item, closed_page = _accepting(slug)
    if closed_page:
        return closed_page
    values = _draft_values(item)
    if values is None:
        return redirect(url_for("surveys.consultation", slug=slug))
    try:
        checked = check_submission(item, _read_submission(MultiDict(values)))
    except AnswerErrors as problem:  # the questions changed since "Continue"
        return _render_page_with_errors(
            item, pages.question_pages(item), _token_of(values), values, problem.errors
        )
    response = make_response(
        render_template(
            "surveys/public/check_answers.html",
            consultation=item,
            checked=checked,
            values=values,
            age_bands=AGE_BAND_LABELS,
            change_urls=_change_urls(item),
            # Answers to questions not asked are not sent on: the server would drop them anyway.
            unasked_fields={
                question.field_name
                for question in item.questions
                if question.id not in checked.asked
            },
        )
    )
    # It may show a name and email: a shared computer's Back should ask the server again.
    response.headers["Cache-Control"] = "no-store"
    return response


def _change_urls(item: Consultation) -> dict[str, str]:
    """With sections, where each field of the check page is changed: its own page."""
    question_pages = pages.question_pages(item)
    if not question_pages:
        return {}
    urls = {}
    for page in question_pages:
        url = url_for("surveys.survey_page", slug=item.slug, number=page.number)
        urls.update({name: url for name in page.field_names})
    last = url_for("surveys.survey_page", slug=item.slug, number=len(question_pages) + 1)
    urls.update({name: last for name in (*ABOUT_YOU_FIELDS, *CONTACT_FIELDS, "consent")})
    return urls


@bp.post("/consultations/<slug>/send")
@counts_its_own_limit
def send(slug: str):
    """Store the response once; a double-click or replay shows the first confirmation again."""
    count_request(current_app.config["SUBMISSION_RATE_LIMIT"], scope="surveys.send")
    target = consultations.remembered_submission_target(slug)
    form_token = request.form.get("form_token")
    raw_token = form_tokens.read_form_token(form_token)
    if request.form.get(HONEYPOT_FIELD):
        # A bot filled the hidden field: thank it as usual, store nothing.
        return _confirm(slug, new_reference("R"))
    try:
        receipt = send_online_submission(slug, target, _read_submission(), raw_token)
    except DuplicateSubmission as duplicate:
        db.session.rollback()
        return _confirm(slug, duplicate.reference)
    except AnswerErrors as problem:
        db.session.rollback()
        item = consultations.get_public_consultation(slug)
        return _render_form(item, form_token, request.form.to_dict(flat=False), problem.errors, 422)
    except DomainError as refused:
        db.session.rollback()
        if refused.status == 400:
            raise
        item = consultations.get_public_consultation(slug, with_questions=False)
        return _render_closed(item, refused.message, refused.status)
    db.session.commit()
    if receipt.contact_to_confirm:
        update_jobs.ask_to_confirm(receipt.contact_to_confirm)
    jobs.fold_tallies_after_response()
    return _confirm(
        slug,
        receipt.reference,
        receipt.prize_draw_reference,
        receipt.wants_updates,
        confirming=bool(receipt.contact_to_confirm),
    )


def _confirm(
    slug: str, reference, prize_draw_reference=None, wants_updates=False, confirming=False
):
    # Sent: the form starts empty again for the next person; the page below removes the draft.
    draft = session.pop(DRAFT_KEY, None)
    session[RECEIPT_KEY] = {
        "slug": slug,
        "reference": reference,
        "prize_draw_reference": prize_draw_reference,
        "wants_updates": wants_updates,
        "confirming": confirming,
        "draft": draft.get("key") if draft else None,
    }
    return redirect(url_for("surveys.confirmation", slug=slug), code=303)


@bp.get("/consultations/<slug>/confirmation")
def confirmation(slug: str):
    item = consultations.get_public_consultation(slug, with_questions=False)
    receipt = session.get(RECEIPT_KEY)
    if not receipt or receipt.get("slug") != slug:
        return redirect(url_for("surveys.consultation", slug=slug))
    if receipt.get("draft"):
        drafts.discard_draft(receipt["draft"])
        db.session.commit()
    return render_template("surveys/public/confirmation.html", consultation=item, receipt=receipt)
