"""Pages of the Active Citizens Fund: public, group and staff."""

from engage.activecitizens import bp, staff_bp
from engage.activecitizens.services import status_emails
from engage.activecitizens.views import (  # noqa: F401  (routes register on import)
    accounts,
    application_sending,
    applications,
    documents,
    public,
    reviews,
    staff_applications,
    staff_publication,
    staff_rounds,
    stop_emails,
)

# State changes happen only in these blueprints' views: email the group once they commit.
bp.after_request(status_emails.send_due_emails)
staff_bp.after_request(status_emails.send_due_emails)
