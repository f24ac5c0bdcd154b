"""The one registry of where personal data lives in the schema, and why it is held.

The privacy notice and the record of processing activities are built from this and the
retention schedule; tests/test_privacy_records.py fails when a column that looks personal
(email, name, phone, address, handle, postcode) appears on a table not registered here, so a
new kind of personal data cannot ship without deciding its purpose, basis and retention.
"""

import re
from dataclasses import dataclass

from sqlalchemy import MetaData

from engage.privacy import schedule

LOOKS_PERSONAL = re.compile(r"(^|_)(e?mail|name|phone|address|handle|postcode)(_|$)")


@dataclass(frozen=True)
class PersonalData:
    table: str
    columns: tuple[str, ...]
    held: str  # what it is, in words
    whose: str  # the data subjects
    source: str
    purpose: str
    basis: str  # the lawful basis under UK GDPR Art. 6
    recipients: str
    retention: str  # a schedule class's key, or words for data the schedule does not cover
    public: bool = True  # told to the public in the privacy notice (staff are told elsewhere)


PUBLIC_TASK = "Public task (Art. 6(1)(e))"
REGISTRY: tuple[PersonalData, ...] = (
    PersonalData(
        "responses",
        ("postcode_district", "age_band", "area"),
        "The area you live in, the first part of your postcode and your age group, with your "
        "answers",
        "People answering a consultation",
        "You, on the consultation form or at an event",
        "To see how views differ across the force area and weight results to the population",
        PUBLIC_TASK,
        "Staff of the force and the PCC's office; only totals are published",
        schedule.SURVEY_ANSWERS.key,
    ),
    PersonalData(
        "answers",
        ("text",),
        "Comments you write in answer to a question",
        "People answering a consultation",
        "You",
        "To understand what the public think; quoted without detail that could identify you",
        PUBLIC_TASK,
        "Staff of the force and the PCC's office",
        schedule.SURVEY_ANSWERS.key,
    ),
    PersonalData(
        "contact_requests",
        ("name", "email", "wants_updates"),
        "Your name and email address if you ask to be kept updated, kept apart from your answers",
        "People who ask for updates",
        "You",
        "To tell you about the results and what was done",
        "Consent (Art. 6(1)(a))",
        "Consultation staff",
        schedule.CONTACT_DETAILS.key,
    ),
    PersonalData(
        "contact_requests",
        ("name", "email", "prize_draw", "entry_reference"),
        "Your name and email address if you enter the prize draw, kept apart from your answers",
        "Prize-draw entrants",
        "You",
        "To draw and contact the winner",
        "Consent (Art. 6(1)(a))",
        "Consultation staff",
        schedule.PRIZE_DRAW.key,
    ),
    PersonalData(
        "social_posts",
        ("author_handle", "author_id", "text"),
        "Public posts about a campaign's hashtags and the author's handle",
        "People posting publicly on X",
        "X (formerly Twitter), public posts only",
        "To understand public views on policing; handles are pseudonymised in every export",
        PUBLIC_TASK,
        "Communications staff and the PCC's office",
        schedule.SOCIAL_POSTS.key,
    ),
    PersonalData(
        "community_groups",
        ("email", "contact_name", "phone", "address", "postcode", "name"),
        "A community group's contact, their email, phone and address",
        "Contacts of community groups applying for grants",
        "The group",
        "To run the group's account and assess, pay and monitor its grants",
        "Contract and public task (Art. 6(1)(b), (e))",
        "The PCC's office and the reviewers of its applications; the group's name is published "
        "if funded, never the contact's details",
        schedule.GRANT_RECORDS.key,
    ),
    PersonalData(
        "grant_applications",
        ("activities", "beneficiaries", "outcomes", "staff_message"),
        "What a group's application says about its project and the people it helps",
        "Contacts and beneficiaries of community groups",
        "The group",
        "To assess, pay and monitor grants of public money",
        "Legal obligation and public task (Art. 6(1)(c), (e))",
        "The PCC's office and reviewers without a conflict of interest",
        schedule.GRANT_RECORDS.key,
    ),
    PersonalData(
        "grant_documents",
        ("original_name", "storage_key"),
        "Documents and photos a group sends with its application or monitoring report",
        "Contacts and beneficiaries of community groups",
        "The group",
        "To assess and monitor grants",
        "Legal obligation and public task (Art. 6(1)(c), (e))",
        "The PCC's office and reviewers without a conflict of interest",
        schedule.GRANT_RECORDS.key,
    ),
    PersonalData(
        "grant_monitoring_reports",
        ("what_was_done",),
        "A funded group's report of what it did",
        "Contacts and beneficiaries of community groups",
        "The group",
        "To monitor grants of public money",
        "Legal obligation and public task (Art. 6(1)(c), (e))",
        "The PCC's office",
        schedule.GRANT_RECORDS.key,
    ),
    PersonalData(
        "grant_audit_entries",
        ("actor_label", "details"),
        "Who decided or changed what on an application, and when",
        "Staff and community groups' contacts",
        "The platform",
        "Audit of decisions on public money",
        "Legal obligation (Art. 6(1)(c))",
        "The PCC's office and auditors",
        "Kept permanently: the database refuses any change to this append-only record",
    ),
    PersonalData(
        "staff_users",
        ("email", "name"),
        "Staff accounts",
        "Staff of the force and the PCC's office",
        "Administrators",
        "To sign staff in and record who did what",
        "Contract (Art. 6(1)(b))",
        "Administrators",
        "While the account exists",
        public=False,
    ),
    PersonalData(
        "privacy_access_log",
        ("staff_id", "kind", "record_id"),
        "Which member of staff viewed or exported which record, and when",
        "Staff",
        "The platform",
        "Accountability and security of personal data",
        "Legal obligation (Art. 6(1)(c))",
        "The data protection officer",
        schedule.AUDIT_LOGS.key,
        public=False,
    ),
)

# Columns whose names look personal but hold no one's personal data, and why.
NOT_PERSONAL = {
    "events.name": "a roadshow or event's name",
    "grant_rounds.name": "a funding round's name",
    "grant_round_priorities.name": "a round's priority",
    "grant_round_criteria.name": "a scoring criterion",
    "social_campaigns.name": "a campaign's name",
    "codes.name": "a theme in a code frame",
    "codes.name_key": "a theme's name, folded for matching",
    "code_events.old_name": "a theme's former name",
    "code_events.new_name": "a theme's new name",
    "community_groups.bank_account_in_group_name": "yes or no",
}


def registered_columns() -> set[str]:
    return {f"{entry.table}.{column}" for entry in REGISTRY for column in entry.columns}


def unregistered_personal_columns(metadata: MetaData) -> list[str]:
    """Columns that look personal but are neither registered nor declared not personal."""
    known = registered_columns() | set(NOT_PERSONAL)
    return sorted(
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if LOOKS_PERSONAL.search(column.name) and f"{table.name}.{column.name}" not in known
    )


def missing_columns(metadata: MetaData) -> list[str]:
    """Registered (or declared) columns the schema no longer has: the registry has drifted."""
    present = {f"{t.name}.{c.name}" for t in metadata.sorted_tables for c in t.columns}
    return sorted((registered_columns() | set(NOT_PERSONAL)) - present)
