"""Community groups: the fund's applicants, with their own sign-in."""

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.db_types import UTCDateTime, utcnow
from engage.core.enum_column import enum_column
from engage.core.extensions import Model

GROUP_NAME_MAX = 200
CONTACT_MAX = 120
ADDRESS_MAX = 300
POSTCODE_MAX = 10
PHONE_MAX = 30
REGISTRATION_MAX = 20
# Flask-Login keeps this prefix in the session, so a group's id never loads a staff account.
GROUP_SESSION_PREFIX = "group:"


class OrganisationType(enum.StrEnum):
    UNREGISTERED = "unregistered"
    CHARITY = "charity"
    COMPANY = "company"
    CIC = "cic"
    SCHOOL = "school"
    FAITH_GROUP = "faith_group"
    TENANTS_ASSOCIATION = "tenants"

    @property
    def label(self) -> str:
        return ORGANISATION_TYPE_LABELS[self]

    @property
    def needs_charity_number(self) -> bool:
        return self == OrganisationType.CHARITY

    @property
    def needs_company_number(self) -> bool:
        return self in (OrganisationType.COMPANY, OrganisationType.CIC)


ORGANISATION_TYPE_LABELS = {
    OrganisationType.UNREGISTERED: "Unregistered community group",
    OrganisationType.CHARITY: "Registered charity",
    OrganisationType.COMPANY: "Company limited by guarantee",
    OrganisationType.CIC: "Community interest company (CIC)",
    OrganisationType.SCHOOL: "School or college",
    OrganisationType.FAITH_GROUP: "Faith group",
    OrganisationType.TENANTS_ASSOCIATION: "Tenants' or residents' association",
}


class CommunityGroup(UserMixin, Model):
    __tablename__ = "community_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(GROUP_NAME_MAX))
    organisation_type: Mapped[OrganisationType] = mapped_column(enum_column(OrganisationType))
    charity_number: Mapped[str | None] = mapped_column(String(REGISTRATION_MAX))
    company_number: Mapped[str | None] = mapped_column(String(REGISTRATION_MAX))
    contact_name: Mapped[str] = mapped_column(String(CONTACT_MAX))
    phone: Mapped[str] = mapped_column(String(PHONE_MAX), default="")
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX))
    postcode: Mapped[str] = mapped_column(String(POSTCODE_MAX))
    bank_account_in_group_name: Mapped[bool] = mapped_column(default=False)
    has_safeguarding_policy: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # As on staff accounts: moved on by a password change or reset, ending the other sessions.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set by the unsubscribe link in the emails about its applications' progress.
    status_emails_stopped_on: Mapped[date | None]

    is_staff = False

    def get_id(self) -> str:
        return f"{GROUP_SESSION_PREFIX}{self.id}"

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles) -> bool:
        """Groups hold no staff role, so every staff page refuses them."""
        return False
