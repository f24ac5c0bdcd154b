"""Contact details for updates and the prize draw: kept apart, merged per email, purged on time."""

import pytest
from sqlalchemy import func, inspect, select

from engage.auth.models import StaffUser
from engage.core.errors import DomainError
from engage.surveys.models import (
    Consultation,
    ConsultationStatus,
    ContactRequest,
    PrizeDraw,
    Response,
)
from engage.surveys.services.contacts import (
    ContactChoice,
    clean_contact,
    purge_contact_details,
    record_contact_request,
)
from engage.surveys.services.draws import draw_prize
from engage.surveys.services.responses import AnswerErrors


def test_contact_table_has_no_link_to_responses(db):
    columns = {column["name"] for column in inspect(db.engine).get_columns("contact_requests")}
    assert not {"response_id", "reference", "submitted_at"} & columns
    foreign = inspect(db.engine).get_foreign_keys("contact_requests")
    assert {key["referred_table"] for key in foreign} == {"consultations"}
    assert "contact_requests" not in {
        key["referred_table"] for key in inspect(db.engine).get_foreign_keys("responses")
    }


def test_opt_in_without_email_is_refused(db):
    with pytest.raises(AnswerErrors) as raised:
        clean_contact(ContactChoice(prize_draw=True, email=""))
    assert "contact_email" in raised.value.errors
    with pytest.raises(AnswerErrors):
        clean_contact(ContactChoice(wants_updates=True, email="not an email"))


def test_no_opt_in_keeps_no_details(db):
    assert clean_contact(ContactChoice(name="Sam", email="sam@example.org")) == ContactChoice()


def test_same_email_twice_is_one_entry(db, make_consultation):
    consultation = db.session.get(Consultation, make_consultation())
    choice = clean_contact(ContactChoice(prize_draw=True, email="Sam@Example.org"))
    first = record_contact_request(consultation, choice)
    second = record_contact_request(
        consultation, clean_contact(ContactChoice(wants_updates=True, email="sam@example.org"))
    )
    db.session.commit()
    assert first.id == second.id
    assert second.prize_draw and second.wants_updates
    assert db.session.scalar(select(func.count()).select_from(ContactRequest)) == 1


def _published_with_entrants(db, make_consultation, make_staff, entrants=3):
    # Staff first: make_staff commits in its own session, which SQLite would lock out later.
    staff_email = make_staff("consultation")
    consultation = db.session.get(Consultation, make_consultation(status=ConsultationStatus.CLOSED))
    for index in range(entrants):
        record_contact_request(
            consultation, ContactChoice(prize_draw=True, email=f"p{index}@example.org")
        )
    staff = db.session.scalar(select(StaffUser).filter_by(email=staff_email))
    return consultation, staff


def test_purge_waits_for_publication_and_draw(db, make_consultation, make_staff):
    consultation, staff = _published_with_entrants(db, make_consultation, make_staff)
    with pytest.raises(DomainError, match="published"):
        purge_contact_details(consultation)
    consultation.status = ConsultationStatus.PUBLISHED
    with pytest.raises(DomainError, match="prize draw"):
        purge_contact_details(consultation)
    assert db.session.scalar(select(func.count()).select_from(ContactRequest)) == 3


def test_purge_deletes_details_but_keeps_the_draw_record(db, make_consultation, make_staff):
    consultation, staff = _published_with_entrants(db, make_consultation, make_staff)
    draw = draw_prize(consultation, staff)
    reference = draw.winner_reference
    consultation.status = ConsultationStatus.PUBLISHED
    assert purge_contact_details(consultation) == 3
    db.session.commit()
    record = db.session.scalar(select(PrizeDraw))
    assert record.winner_reference == reference
    assert record.entrant_count == 3
    assert record.winner_id is None and record.contacts_purged_at is not None
    assert db.session.scalar(select(func.count()).select_from(ContactRequest)) == 0


def test_purge_command_reports_each_consultation(runner, db, make_consultation, make_staff):
    consultation, staff = _published_with_entrants(db, make_consultation, make_staff)
    draw_prize(consultation, staff)
    consultation.status = ConsultationStatus.PUBLISHED
    db.session.commit()
    result = runner.invoke(args=["contacts", "purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 3 contact record(s)" in result.output
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_contact_ids_do_not_follow_the_order_people_answered_in(db, make_consultation):
    consultation = db.session.get(Consultation, make_consultation())

    ids = [
        record_contact_request(
            consultation, ContactChoice(wants_updates=True, email=f"p{n}@example.org")
        ).id
        for n in range(20)
    ]

    # A sequence would give 20 rising ids; random ids do so with odds of 1 in 20! (2.4e18).
    assert ids != sorted(ids)
