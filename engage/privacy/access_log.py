"""The trail of staff viewing or exporting personal data, and its reading for the DPO.

Views that show personal data call `record_access` (then commit); the trail holds who, what
kind, which record id and when: never what was shown.
"""

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select

from engage.auth.models import StaffUser
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.privacy.models import PersonalDataAccess

PER_PAGE = 50


class AccessKind(enum.StrEnum):
    CONTACT_EXPORT = "contact_export"  # a consultation's contact list, as CSV
    GROUP_DETAILS = "group_details"  # a group's contact details on its application's case page
    GRANT_DOCUMENT = "grant_document"  # a document a group sent
    SOCIAL_HANDLES = "social_handles"  # a campaign's posts listed with their authors' handles
    SOCIAL_POST = "social_post"  # one post with its author's handle

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    AccessKind.CONTACT_EXPORT: "Contact list exported (consultation)",
    AccessKind.GROUP_DETAILS: "Group contact details viewed (group)",
    AccessKind.GRANT_DOCUMENT: "Grant document downloaded (document)",
    AccessKind.SOCIAL_HANDLES: "Social handles listed (campaign)",
    AccessKind.SOCIAL_POST: "Social post with handle viewed (post)",
}


def record_access(user, kind: AccessKind, record_id: int) -> None:
    """Note that a member of staff saw this record's personal data; groups seeing their own
    records are not noted. The caller commits."""
    if not getattr(user, "is_staff", False):
        return
    db.session.add(PersonalDataAccess(staff_id=user.id, kind=kind.value, record_id=record_id))
    db.session.flush()


@dataclass(frozen=True)
class AccessFilters:
    kind: AccessKind | None = None
    staff_email: str = ""
    since: date | None = None
    until: date | None = None

    def as_args(self) -> dict:
        return {
            "kind": self.kind.value if self.kind else None,
            "staff": self.staff_email or None,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def _day(text: str | None, name: str, label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(f"Enter the {label} date like 2026-12-31", field=name) from None


def check_access_filters(args) -> AccessFilters:
    """Filters from a query string; a malformed one is refused naming its field."""
    kind = args.get("kind") or None
    if kind is not None and kind not in AccessKind.__members__.values():
        raise DomainError("Choose a kind of access from the list", field="kind")
    staff_email = (args.get("staff") or "").strip().lower()
    if len(staff_email) > 254:
        raise DomainError("Enter 254 characters or fewer", field="staff")
    since = _day(args.get("since"), "since", "from")
    until = _day(args.get("until"), "until", "to")
    if since and until and since > until:
        raise DomainError("The 'from' date must be on or before the 'to' date", field="until")
    return AccessFilters(AccessKind(kind) if kind else None, staff_email, since, until)


def _query(filters: AccessFilters) -> Select:
    query = select(PersonalDataAccess)
    if filters.kind:
        query = query.where(PersonalDataAccess.kind == filters.kind.value)
    if filters.staff_email:
        staff = select(StaffUser.id).where(StaffUser.email == filters.staff_email)
        query = query.where(PersonalDataAccess.staff_id.in_(staff))
    if filters.since:
        query = query.where(PersonalDataAccess.at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        query = query.where(PersonalDataAccess.at < end)
    return query.order_by(PersonalDataAccess.at.desc(), PersonalDataAccess.id.desc())


def access_page(filters: AccessFilters, page: int):
    """One page of the trail, newest first."""
    return db.paginate(
        _query(filters), page=max(page, 1), per_page=PER_PAGE, error_out=False, count=True
    )


HEADER = ["at_utc", "staff", "kind", "record_id"]


def access_rows(filters: AccessFilters) -> Iterator[list]:
    """The whole filtered trail as CSV rows, streamed in batches."""
    yield HEADER
    rows: Iterable = db.session.scalars(_query(filters).execution_options(yield_per=1000))
    for access in rows:
        who = access.staff.email if access.staff else "(account deleted)"
        yield [access.at.isoformat(), who, access.kind, access.record_id]
