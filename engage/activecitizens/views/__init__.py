"""Pages of the Active Citizens Fund: public, group and staff."""

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
)
