"""The fund's awards in the 360Giving Data Standard: a JSON package, and CSV with its titles."""

import csv
import io
import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from engage.activecitizens.models import (
    FundingRound,
    GrantApplication,
    OrganisationType,
)
from engage.activecitizens.services.publication import published_grants_query
from engage.activecitizens.services.rounds import area_name
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.settings import settings
from engage.web.csv_writing import safe_cell

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
PACKAGE_SCHEMA = "360-giving-package-schema.json"
GRANT_SCHEMA = "360-giving-schema.json"
# The package schema points at the 1.4.2 grant schema; the grant schema's own $id says 1.4.3.
GRANT_SCHEMA_URLS = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
)
METROPOLITAN_DISTRICT = "MD"
PROGRAMME_PREFIX = "Active Citizens Fund"


def _schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text())


@cache
def package_validator() -> Draft202012Validator:
    # The files name their dialect with an http:// URI that `referencing` does not know, so the
    # draft is given here rather than read from "$schema".
    grant = DRAFT202012.create_resource(_schema(GRANT_SCHEMA))
    registry = Registry().with_resources([(url, grant) for url in GRANT_SCHEMA_URLS])
    # Formats are checked, as 360Giving's own validator does: the schema's dates are "oneOf" a
    # date pattern or a date-time, which only format checking tells apart.
    return Draft202012Validator(
        _schema(PACKAGE_SCHEMA),
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def validation_errors(package: dict) -> list[str]:
    """One line per error; for the grant's "oneOf" the closest branch's reason, not the whole."""
    messages = []
    for error in package_validator().iter_errors(package):
        detail = best_match(error.context) if error.context else error
        path = "/".join(str(step) for step in detail.absolute_path) or "(package)"
        messages.append(f"{path}: {detail.message}")
    return messages


def _pounds(pence: int) -> int | float:
    return pence // 100 if pence % 100 == 0 else round(pence / 100, 2)


def recipient_id(application: GrantApplication) -> str:
    """GB-CHC for charities, GB-COH for companies and CICs, our own 360G id for the rest."""
    group = application.group
    if group.organisation_type == OrganisationType.CHARITY and group.charity_number:
        return f"GB-CHC-{group.charity_number}"
    if group.organisation_type.needs_company_number and group.company_number:
        return f"GB-COH-{group.company_number}"
    return f"{settings.THREESIXTYGIVING_PREFIX}-group-{group.id}"


def grant_record(application: GrantApplication) -> dict:
    """One grant object; the recipient's address and contact stay out (many are home addresses)."""
    funding_round = application.funding_round
    group = application.group
    recipient = {"id": recipient_id(application), "name": group.name}
    if group.charity_number:
        recipient["charityNumber"] = group.charity_number
    if group.company_number:
        recipient["companyNumber"] = group.company_number
    recipient["organisationType"] = group.organisation_type.label
    grant = {
        "id": f"{settings.THREESIXTYGIVING_PREFIX}-{application.reference}",
        "title": application.title,
        "description": application.summary,
        "currency": "GBP",
        "amountAppliedFor": _pounds(application.amount_requested_pence),
        "amountAwarded": _pounds(application.amount_awarded_pence or 0),
        "awardDate": (application.decided_at or application.updated_at).date().isoformat(),
        "plannedDates": [
            {
                "startDate": cast(date, application.starts_on).isoformat(),  # given on submitting
                "endDate": cast(date, application.ends_on).isoformat(),
            }
        ],
        "recipientOrganization": [recipient],
        "beneficiaryLocation": [
            {"name": area_name(code), "geoCode": code, "geoCodeType": METROPOLITAN_DISTRICT}
            for code in application.area_codes
        ],
        "fundingOrganization": [
            {"id": settings.GRANTS_FUNDER_ID, "name": settings.ORGANISATION_NAME}
        ],
        "grantProgramme": [
            {"code": funding_round.slug, "title": f"{PROGRAMME_PREFIX}: {funding_round.name}"}
        ],
        "fromOpenCall": "Yes",
        "dateModified": application.updated_at.isoformat(),
    }
    if application.paid_pence:
        grant["amountDisbursed"] = _pounds(application.paid_pence)
    return grant


def export_grants(funding_round: FundingRound | None) -> list[GrantApplication]:
    """The published awards of one round, or of every round when none is named."""
    if funding_round is not None and funding_round.awards_published_at is None:
        raise DomainError(
            f"{funding_round.name}'s awards are not published yet: publish them on the round's "
            "page first"
        )
    query = published_grants_query()
    if funding_round is not None:
        query = query.where(GrantApplication.round_id == funding_round.id)
    grants = list(db.session.scalars(query.order_by(GrantApplication.id)))
    if not grants:
        raise DomainError("There are no published awards to export yet")
    return grants


def build_package(grants: list[GrantApplication]) -> dict:
    package = {
        "grants": [grant_record(application) for application in grants],
        "version": "1.4",
        "title": f"{PROGRAMME_PREFIX} grants by {settings.ORGANISATION_NAME}",
        "issued": utcnow().isoformat(),
    }
    errors = validation_errors(package)
    if errors:
        raise DomainError("The export does not meet the 360Giving schema: " + "; ".join(errors[:5]))
    return package


@cache
def _titles() -> tuple[dict, dict]:
    schema = _schema(GRANT_SCHEMA)
    return schema["properties"], schema["$defs"]


def column_title(field: str, child: str | None = None, index: int = 0) -> str:
    """The 360Giving spreadsheet title for a field, from the schema: 'Recipient Org:Name'."""
    properties, definitions = _titles()
    spec = properties[field]
    title = spec.get("title") or field[0].upper() + field[1:]
    if child is None:
        return title
    reference = spec["items"]["$ref"].rsplit("/", 1)[-1]
    child_title = definitions[reference]["properties"][child].get("title") or child
    # The first item's fields go unnumbered, rolled up or not: flatten-tool then reads them all
    # back into one item, where "Recipient Org:0:..." would start a second one.
    if index == 0:
        return f"{title}:{child_title}"
    return f"{title}:{index}:{child_title}"


_SIMPLE = (
    "id",
    "title",
    "description",
    "currency",
    "amountAppliedFor",
    "amountAwarded",
    "amountDisbursed",
    "awardDate",
)
_NESTED = (
    ("plannedDates", ("startDate", "endDate")),
    ("recipientOrganization", ("id", "name", "charityNumber", "companyNumber", "organisationType")),
    ("fundingOrganization", ("id", "name")),
    ("grantProgramme", ("code", "title")),
)
_LOCATION = ("name", "geoCode", "geoCodeType")


def package_csv(package: dict) -> str:
    """The package as one CSV row per grant, with the standard's column titles."""
    grants = package["grants"]
    locations = max(len(g.get("beneficiaryLocation", [])) for g in grants)
    columns: list[tuple[str, tuple]] = [(column_title(f), (f,)) for f in _SIMPLE]
    for field, children in _NESTED:
        columns += [(column_title(field, child), (field, 0, child)) for child in children]
    for index in range(locations):
        columns += [
            (
                column_title("beneficiaryLocation", child, index),
                ("beneficiaryLocation", index, child),
            )
            for child in _LOCATION
        ]
    columns += [(column_title(f), (f,)) for f in ("fromOpenCall", "dateModified")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([title for title, _ in columns])
    for grant in grants:
        writer.writerow([safe_cell(_dig(grant, path)) for _, path in columns])
    return out.getvalue()


def _dig(grant: dict, path: tuple):
    value: Any = grant  # JSON: a dict, a list, or a value at the end of the path
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and len(value) > step else None
        else:
            value = value.get(step) if isinstance(value, dict) else None
        if value is None:
            return ""
    return value
