"""Community group accounts: registering, signing in and keeping details up to date."""

import re
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

from engage.activecitizens.models import CommunityGroup, OrganisationType
from engage.activecitizens.models.groups import GROUP_SESSION_PREFIX
from engage.auth.password_policy import check_password
from engage.auth.services import normalise_email, register_session_loader
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db

_DUMMY_HASH = generate_password_hash("not-a-real-password")
# Charity Commission numbers are 6 or 7 digits; Companies House numbers 8 characters.
_CHARITY_NUMBER = re.compile(r"^[0-9]{6,7}$")
_COMPANY_NUMBER = re.compile(r"^(?:[0-9]{8}|[A-Z]{2}[0-9]{6})$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


@dataclass
class GroupDetails:
    name: str
    organisation_type: OrganisationType
    charity_number: str
    company_number: str
    contact_name: str
    phone: str
    address: str
    postcode: str
    bank_account_in_group_name: bool
    has_safeguarding_policy: bool


def load_group(group_id: str) -> CommunityGroup | None:
    return db.session.get(CommunityGroup, int(group_id)) if group_id.isdigit() else None


# A group signs in through the same Flask-Login session as staff, as 'group:<id>'.
register_session_loader(GROUP_SESSION_PREFIX, load_group)


def find_group_by_email(email: str) -> CommunityGroup | None:
    return db.session.scalar(
        db.select(CommunityGroup).where(CommunityGroup.email == normalise_email(email))
    )


def _clean(details: GroupDetails) -> GroupDetails:
    details.charity_number = details.charity_number.strip().replace(" ", "")
    details.company_number = details.company_number.strip().replace(" ", "").upper()
    details.postcode = details.postcode.strip().upper()
    if details.organisation_type.needs_charity_number:
        if not _CHARITY_NUMBER.match(details.charity_number):
            raise DomainError(
                "Enter the charity's registered number: 6 or 7 digits, like 1123456",
                "charity_number",
            )
    else:
        details.charity_number = ""
    if details.organisation_type.needs_company_number:
        if not _COMPANY_NUMBER.match(details.company_number):
            raise DomainError(
                "Enter the Companies House number: 8 characters, like 09876543", "company_number"
            )
    else:
        details.company_number = ""
    if not _POSTCODE.match(details.postcode):
        raise DomainError("Enter a real postcode, like B4 6NQ", "postcode")
    return details


def _apply(group: CommunityGroup, details: GroupDetails) -> None:
    group.name = details.name.strip()
    group.organisation_type = details.organisation_type
    group.charity_number = details.charity_number or None
    group.company_number = details.company_number or None
    group.contact_name = details.contact_name.strip()
    group.phone = details.phone.strip()
    group.address = details.address.strip()
    group.postcode = details.postcode
    group.bank_account_in_group_name = details.bank_account_in_group_name
    group.has_safeguarding_policy = details.has_safeguarding_policy


def register_group(email: str, password: str, details: GroupDetails) -> CommunityGroup:
    email = normalise_email(email)
    check_password(password, email, f"{details.name} {details.contact_name}")
    if find_group_by_email(email) is not None:
        raise DomainError(
            "A group is already registered with that email address: sign in instead", "email"
        )
    group = CommunityGroup(email=email, password_hash=generate_password_hash(password))
    _apply(group, _clean(details))
    db.session.add(group)
    db.session.flush()
    return group


def update_group(group: CommunityGroup, details: GroupDetails) -> CommunityGroup:
    _apply(group, _clean(details))
    db.session.flush()
    return group


def authenticate_group(email: str, password: str) -> CommunityGroup | None:
    group = find_group_by_email(email)
    if group is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(group.password_hash, password) or not group.active:
        return None
    group.last_login_at = utcnow()
    return group
