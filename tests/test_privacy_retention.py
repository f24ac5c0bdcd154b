"""The retention schedule: admins set periods within bounds; enforcement deletes, anonymises
and logs; grants on legal hold are kept; a dry run counts and changes nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from engage.activecitizens.models import ApplicationDocument, DocumentKind, GrantApplication
from engage.activecitizens.services import retention as grant_retention
from engage.activecitizens.services.documents import storage_dir
from engage.core.extensions import db as _db
from engage.privacy.models import DeletionLog, PersonalDataAccess, RetentionSetting
from engage.privacy.retention import enforce_retention
from engage.privacy.schedule import retention_days
from engage.scheduled import nightly_purge
from engage.social.models import Platform, SocialPost
from engage.surveys.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    ContactRequest,
    PrizeDraw,
    QuestionKind,
    Response,
)
from engage.surveys.services.retention import REMOVED
from tests.grants import S, application_in_state, make_group, make_round, staff_actor

LONG_AGO = datetime.now(UTC) - timedelta(days=3000)


def count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def admin(client, login):
    login(client, "admin")
    return client


def test_admin_sets_a_period_within_its_bounds(admin, db):
    response = admin.post(
        "/staff/privacy/retention", data={"data_class": "social_posts", "days": "200"}
    )
    assert response.status_code == 303
    assert retention_days()["social_posts"] == 200
    page = admin.get("/staff/privacy/retention").get_data(as_text=True)
    assert "Social media posts: kept 200 days." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"data_class": "grant_records", "days": "365"}, "must be kept at least 2,190 days"),
        ({"data_class": "contact_details", "days": "5000"}, "may be kept at most 365 days"),
        ({"data_class": "contact_details", "days": "ninety"}, "Enter a whole number of days"),
        ({"data_class": "contact_details", "days": ""}, "Enter the number of days"),
        ({"data_class": "contact_details", "days": "-4"}, "Enter a whole number of days"),
        ({"data_class": "answers_forever", "days": "90"}, "Choose one of the data classes"),
        ({"days": "90"}, "This field is required"),
    ],
)
def test_a_period_out_of_bounds_or_malformed_is_refused_and_nothing_changes(
    admin, db, data, message
):
    response = admin.post("/staff/privacy/retention", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "There is a problem" in page
    assert count(RetentionSetting) == 0


def test_below_the_legal_minimum_the_reason_is_given(admin, db):
    page = admin.post(
        "/staff/privacy/retention", data={"data_class": "grant_records", "days": "100"}
    ).get_data(as_text=True)
    assert "Limitation Act 1980" in page
    assert "Nothing was changed" in page


def _add_contacts(
    consultation_id: int, tag: str, choices: list[tuple[bool, bool]], created_on: date
) -> None:
    """One contact request per (wants updates, prize draw) in `choices`, told apart by `tag`."""
    for n, (updates, draw) in enumerate(choices):
        _db.session.add(
            ContactRequest(
                consultation_id=consultation_id,
                entry_reference=f"P-{tag}{n}",
                name=f"Person {n}",
                email=f"person{n}-{tag}@example.org",
                wants_updates=updates,
                prize_draw=draw,
                created_on=created_on,
            )
        )


def _published_with_contacts(make_consultation, make_response) -> int:
    consultation_id = make_consultation(slug="last-year")
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "My neighbour Jo Bloggs at 4 High St"})
    consultation = _db.session.get(Consultation, consultation_id)
    consultation.status = ConsultationStatus.PUBLISHED
    consultation.published_at = LONG_AGO
    _add_contacts(
        consultation_id, "TEST", [(True, False), (True, True), (False, True)], date.today()
    )
    _db.session.flush()
    winner = _db.session.scalar(select(ContactRequest).filter_by(entry_reference="P-TEST2"))
    _db.session.add(
        PrizeDraw(
            consultation_id=consultation_id,
            drawn_by_id=staff_actor().staff.id,
            drawn_at=LONG_AGO,
            entrant_count=2,
            winner_id=winner.id,
            winner_reference=winner.entry_reference,
        )
    )
    _db.session.execute(update(Response).values(submitted_at=LONG_AGO, postcode_district="B5"))
    _db.session.commit()
    return consultation_id


def test_enforcement_deletes_and_anonymises_what_is_past_its_period_and_logs_counts(
    db, make_consultation, make_response, make_campaign
):
    _published_with_contacts(make_consultation, make_response)
    campaign_id = make_campaign()
    _db.session.add(
        SocialPost(
            campaign_id=campaign_id,
            platform=Platform.X,
            external_id="9",
            author_handle="someone",
            text="old post",
            created_at=LONG_AGO,
        )
    )
    _db.session.add(
        PersonalDataAccess(staff_id=None, kind="contact_export", record_id=1, at=LONG_AGO)
    )
    _db.session.commit()

    outcomes = {o.data_class.key: o.count for o in enforce_retention()}
    _db.session.commit()

    assert outcomes["contact_details"] == 2
    assert outcomes["prize_draw_entries"] == 2  # P-TEST1 lost its updates first, then its entry
    assert count(ContactRequest) == 0
    assert _db.session.scalar(select(PrizeDraw.winner_id)) is None
    assert _db.session.scalar(select(PrizeDraw.winner_reference)) == "P-TEST2"
    assert outcomes["survey_answers"] == 1
    assert _db.session.scalar(select(Response.postcode_district)) is None
    texts = set(_db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))))
    assert texts == {REMOVED}
    assert outcomes["social_posts"] == 1 and count(SocialPost) == 0
    assert outcomes["audit_logs"] == 1 and count(PersonalDataAccess) == 0
    log = list(_db.session.scalars(select(DeletionLog)))
    assert {entry.data_class for entry in log} == {
        "contact_details",
        "prize_draw_entries",
        "survey_answers",
        "social_posts",
        "audit_logs",
    }
    written = " ".join(f"{e.rule} {e.data_class} {e.action}" for e in log)
    assert "person" not in written and "example.org" not in written and "Bloggs" not in written
    # A second run finds nothing more to do and logs nothing more.
    assert sum(o.count for o in enforce_retention()) == 0
    assert count(DeletionLog) == len(log)


def test_dry_run_counts_and_changes_nothing(db, runner, make_consultation, make_response):
    _published_with_contacts(make_consultation, make_response)
    result = runner.invoke(args=["privacy", "enforce-retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Contact details for updates: 2 would be deleted" in result.output
    assert "Survey answers: 1 would be anonymised" in result.output
    _db.session.expire_all()
    assert count(ContactRequest) == 3
    assert count(DeletionLog) == 0
    result = runner.invoke(args=["privacy", "enforce-retention"])
    assert "Contact details for updates: 2 were deleted" in result.output
    _db.session.expire_all()
    assert count(ContactRequest) == 0


def test_grant_records_of_an_open_grant_are_kept_on_legal_hold(db, runner):
    funding_round = make_round()
    closed = application_in_state(S.CLOSED, make_group(), funding_round)
    open_grant = application_in_state(S.MONITORING, make_group("two@example.org"), funding_round)
    key = "0123456789abcdef0123456789abcdef"
    (storage_dir() / key).write_bytes(b"%PDF-1.4\n")
    _db.session.add(
        ApplicationDocument(
            application=closed,
            kind=DocumentKind.SUPPORTING,
            original_name="bank.pdf",
            storage_key=key,
            content_type="application/pdf",
            size_bytes=9,
        )
    )
    _db.session.flush()
    _db.session.execute(update(GrantApplication).values(updated_at=LONG_AGO))
    _db.session.commit()

    result = runner.invoke(args=["privacy", "enforce-retention"])

    assert "Grant applications and documents: 1 were anonymised" in result.output
    assert "1 kept on legal hold (open grant)" in result.output
    _db.session.expire_all()
    closed = _db.session.get(GrantApplication, closed.id)
    assert closed.activities == "" and closed.documents == []
    assert closed.monitoring_report.what_was_done == grant_retention.REMOVED
    assert closed.title  # the public record of the grant stays
    assert not (storage_dir() / key).exists()
    kept = _db.session.get(GrantApplication, open_grant.id)
    assert kept.activities != ""


def test_the_nightly_job_enforces_the_schedule(db, make_consultation, make_response):
    _published_with_contacts(make_consultation, make_response)

    class Progress:
        def update(self, done, total=None):
            pass

    result = nightly_purge(Progress())
    assert result["retention"]["contact_details"] == 2
    assert "Retention schedule" in result["summary"]


def _closed_with_contacts(make_consultation, closed_on: date) -> int:
    """A consultation that closed on `closed_on`, never published and never drawn, with an
    update request and a prize-draw entry."""
    consultation_id = make_consultation(slug=f"closed-{closed_on:%Y%m%d}")
    consultation = _db.session.get(Consultation, consultation_id)
    consultation.opens_on = closed_on - timedelta(days=30)
    consultation.closes_on = closed_on
    consultation.status = ConsultationStatus.CLOSED
    _add_contacts(consultation_id, f"{closed_on:%Y%m%d}", [(True, False), (False, True)], closed_on)
    _db.session.commit()
    return consultation_id


def test_contacts_of_results_and_draws_that_never_came_are_not_kept_for_ever(db, make_consultation):
    today = date.today()
    lapsed = _closed_with_contacts(make_consultation, today - timedelta(days=365 + 91))
    recent = _closed_with_contacts(make_consultation, today - timedelta(days=200))

    outcomes = {o.data_class.key: o.count for o in enforce_retention()}
    _db.session.commit()

    # Counted from a year after closing: 91 days past the 90-day periods for `lapsed`; the
    # recently closed one may still publish its results or make its draw.
    assert outcomes["contact_details"] == 1 and outcomes["prize_draw_entries"] == 1
    left = set(_db.session.scalars(select(ContactRequest.consultation_id)))
    assert left == {recent}
    assert lapsed not in left
