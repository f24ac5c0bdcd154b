"""The unsubscribe link in the emails telling a group its application moved on.

GET shows a page with a button; POST stops the emails, and is also RFC 8058's one-click request,
which a mail client sends without our form: it is exempt from CSRF, and its signed token is what
proves it came from the email.
"""

from flask import render_template, request

from engage.activecitizens import bp
from engage.activecitizens.services import status_emails
from engage.core.errors import DomainError
from engage.core.extensions import csrf, db
from engage.web.forms import ActionForm


@bp.route("/emails/stop/<token>", methods=["GET", "POST"])
@csrf.exempt
def stop_status_emails(token: str):
    try:
        if request.method == "GET":
            group = status_emails.group_to_stop(token)
            done = group.status_emails_stopped_on is not None
        else:
            group, done = status_emails.stop_status_emails(token).group, True
    except DomainError as error:
        page = render_template("activecitizens/public/stop_emails.html", problem=error.message)
        return page, error.status
    db.session.commit()
    return render_template(
        "activecitizens/public/stop_emails.html", group=group, done=done, form=ActionForm()
    )
