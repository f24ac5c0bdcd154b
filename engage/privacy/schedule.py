"""The retention schedule: each class of personal data, its default period, bounds and basis.

The minimum is what the law or the work needs (an admin cannot go below it); the maximum is
the longest the purpose can justify. The privacy notice and the record of processing read these
same constants, so what the public is told is what `enforce-retention` does.
"""

from dataclasses import dataclass

from sqlalchemy import select

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.privacy.models import RetentionSetting

YEAR = 365


@dataclass(frozen=True)
class DataClass:
    key: str
    label: str
    what: str  # what is held
    starts: str  # what the period counts from
    action: str  # "deleted" or "anonymised", as the deletion log records it
    done: str  # what happens when it ends, in words
    default_days: int
    min_days: int
    max_days: int
    basis: str  # the reason for the minimum and the lawful basis


SURVEY_ANSWERS = DataClass(
    key="survey_answers",
    label="Survey answers",
    what="Answers to consultations, with area, first part of the postcode and age group",
    starts="the day the answers were sent",
    action="anonymised",
    done="free-text comments and the postcode district are removed; choices stay counted",
    default_days=3 * YEAR,
    min_days=YEAR,
    max_days=7 * YEAR,
    basis="Public task (UK GDPR Art. 6(1)(e)): consulting on policing priorities (Police Reform "
    "and Social Responsibility Act 2011 s.34). Kept a year at least so published results can be "
    "checked and challenged before the Police and Crime Panel.",
)
CONTACT_DETAILS = DataClass(
    key="contact_details",
    label="Contact details for updates",
    what="Name and email of people who asked to hear about the results",
    starts="the day the consultation's results are published (or, if they never are, a year "
    "after it closed)",
    action="deleted",
    done="deleted",
    default_days=90,
    min_days=30,
    max_days=YEAR,
    basis="Consent (UK GDPR Art. 6(1)(a)): kept only to send the 'you said, we did' update; "
    "30 days at least so the update can be sent after the results are published.",
)
PRIZE_DRAW = DataClass(
    key="prize_draw_entries",
    label="Prize-draw entries",
    what="Name and email of people who entered a consultation's prize draw",
    starts="the day the prize draw is made (or, if it never is, a year after the consultation "
    "closed)",
    action="deleted",
    done="deleted (the draw's record keeps the winner's entry reference only)",
    default_days=90,
    min_days=30,
    max_days=YEAR,
    basis="Consent (UK GDPR Art. 6(1)(a)): kept to contact the winner and answer complaints "
    "about the draw; 30 days at least for the winner to claim the prize.",
)
SOCIAL_POSTS = DataClass(
    key="social_posts",
    label="Social media posts",
    what="Public posts about a campaign, with the author's handle",
    starts="the day the post was published",
    action="deleted",
    done="deleted, with their moderation notes; confirmed positions stay counted",
    default_days=YEAR,
    min_days=30,
    max_days=2 * YEAR,
    basis="Public task (UK GDPR Art. 6(1)(e)): understanding public views on policing; 30 days "
    "at least so a campaign's posts can be read and moderated.",
)
GRANT_RECORDS = DataClass(
    key="grant_records",
    label="Grant applications and documents",
    what="Community groups' applications, supporting documents, photos and monitoring reports",
    starts="the last change after the grant closed, or the application was declined or withdrawn",
    action="anonymised",
    done="documents are deleted and the application's narrative removed; the grant, its amount "
    "and the decision record stay for audit",
    default_days=6 * YEAR,
    min_days=6 * YEAR,
    max_days=10 * YEAR,
    basis="Legal obligation and public task (UK GDPR Art. 6(1)(c), (e)): public money is audited, "
    "and a claim on a grant agreement can be brought for six years (Limitation Act 1980 s.5). "
    "Applications with an open grant are on legal hold and never removed.",
)
AUDIT_LOGS = DataClass(
    key="audit_logs",
    label="Audit trail of staff viewing personal data",
    what="Which member of staff viewed or exported which record, and when",
    starts="the day the view was recorded",
    action="deleted",
    done="deleted",
    default_days=2 * YEAR,
    min_days=YEAR,
    max_days=6 * YEAR,
    basis="Legal obligation (UK GDPR Art. 5(2) accountability, Art. 32 security): kept a year at "
    "least to investigate a complaint or a breach.",
)

CLASSES: tuple[DataClass, ...] = (
    SURVEY_ANSWERS,
    CONTACT_DETAILS,
    PRIZE_DRAW,
    SOCIAL_POSTS,
    GRANT_RECORDS,
    AUDIT_LOGS,
)
BY_KEY = {data_class.key: data_class for data_class in CLASSES}


def data_class_or_error(key: str) -> DataClass:
    try:
        return BY_KEY[key]
    except KeyError:
        raise DomainError("Choose one of the data classes listed.", field="data_class") from None


def retention_days() -> dict[str, int]:
    """Each class's period in days: the admin's setting, or the documented default."""
    rows = db.session.execute(select(RetentionSetting.data_class, RetentionSetting.days))
    chosen = dict(rows.tuples().all())
    return {c.key: chosen.get(c.key, c.default_days) for c in CLASSES}


def set_retention(key: str, days: int, staff_id: int | None) -> RetentionSetting:
    """Set a class's period, refused outside its bounds with the reason (nothing changed)."""
    data_class = data_class_or_error(key)
    if days < data_class.min_days:
        raise DomainError(
            f"{data_class.label} must be kept at least {data_class.min_days:,} days. "
            f"{data_class.basis} Nothing was changed.",
            field="days",
        )
    if days > data_class.max_days:
        raise DomainError(
            f"{data_class.label} may be kept at most {data_class.max_days:,} days: longer than "
            "the purpose needs. Nothing was changed.",
            field="days",
        )
    setting = db.session.get(RetentionSetting, key)
    if setting is None:
        setting = RetentionSetting(data_class=key, days=days, updated_by_id=staff_id)
        db.session.add(setting)
    else:
        setting.days = days
        setting.updated_by_id = staff_id
    db.session.flush()
    return setting
