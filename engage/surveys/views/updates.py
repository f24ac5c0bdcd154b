"""Public pages from the update emails: confirming the opt-in, and unsubscribing.

Following a link only shows a page with a button; the button's POST makes the change, so a mail
scanner that opens every link confirms nothing. The unsubscribe POST also takes RFC 8058's
one-click request, which a mail client sends without our form: it is exempt from CSRF, and its
signed token is what proves it came from the email.
"""

from flask import render_template, request

from engage.core.errors import DomainError
from engage.core.extensions import csrf, db
from engage.surveys import bp
from engage.surveys.models import Consultation
from engage.surveys.services import updates
from engage.web.forms import ActionForm


def _problem(error: DomainError):
    return render_template(
        "surveys/public/updates_problem.html", message=error.message
    ), error.status


def _page(name: str, contact, **context):
    consultation = db.session.get(Consultation, contact.consultation_id)
    return render_template(
        f"surveys/public/{name}.html", consultation=consultation, form=ActionForm(), **context
    )


@bp.route("/updates/confirm/<token>", methods=["GET", "POST"])
def confirm_updates(token: str):
    """The page with the button confirming an opt-in; a second press says it is done already."""
    try:
        if request.method == "GET":
            contact = updates.contact_to_confirm(token)
            return _page("updates_confirm", contact, done=False, already=bool(contact.confirmed_on))
        outcome = updates.confirm_updates(token)
    except DomainError as error:
        return _problem(error)
    db.session.commit()
    return _page(
        "updates_confirm", outcome.contact, done=outcome.changed, already=not outcome.changed
    )


@bp.route("/updates/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """The page with the unsubscribe button, and its POST, which is also the one-click one."""
    try:
        if request.method == "GET":
            contact = updates.contact_to_unsubscribe(token)
            return _page("unsubscribe", contact, done=contact.unsubscribed_on is not None)
        outcome = updates.unsubscribe(token)
    except DomainError as error:
        return _problem(error)
    db.session.commit()
    return _page("unsubscribe", outcome.contact, done=True)
