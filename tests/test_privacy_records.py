"""The registry of personal data cannot drift from the schema, and the privacy notice and the
record of processing say what the retention schedule does."""

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table

from engage.core.extensions import db as _db
from engage.privacy.registry import (
    NOT_PERSONAL,
    REGISTRY,
    missing_columns,
    unregistered_personal_columns,
)
from engage.privacy.schedule import set_retention


def test_every_column_that_looks_personal_is_registered_or_declared_not_personal(app):
    unregistered = unregistered_personal_columns(_db.metadata)
    assert not unregistered, (
        "columns that look personal are not in engage/privacy/registry.py: register them "
        f"(purpose, basis, retention) or declare them in NOT_PERSONAL: {unregistered}"
    )


def test_a_new_personal_column_on_an_unregistered_table_is_caught():
    metadata = MetaData()
    Table(
        "volunteers",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("email", String(254)),
        Column("phone_number", String(30)),
        Column("home_address", String(200)),
        Column("x_handle", String(100)),
        Column("first_name", String(100)),
        Column("hours", Integer),
    )
    assert unregistered_personal_columns(metadata) == [
        "volunteers.email",
        "volunteers.first_name",
        "volunteers.home_address",
        "volunteers.phone_number",
        "volunteers.x_handle",
    ]


def test_the_registry_names_only_columns_the_schema_has(app):
    assert missing_columns(_db.metadata) == []
    assert missing_columns(MetaData())  # an empty schema: every registered column is missing
    assert len(NOT_PERSONAL) and all(entry.columns for entry in REGISTRY)


@pytest.fixture
def admin(client, login):
    login(client, "admin")
    return client


def test_the_privacy_notice_states_the_periods_in_force(client, db):
    page = client.get("/privacy").get_data(as_text=True)
    assert "90 days after the day the consultation&#39;s results are published" in page
    assert "Staff accounts" not in page  # staff are told in their own notice
    set_retention("contact_details", 120, None)
    _db.session.commit()
    page = client.get("/privacy").get_data(as_text=True)
    assert "120 days after the day the consultation&#39;s results are published" in page


def test_the_record_of_processing_lists_every_holding_as_a_page_and_csv(admin, db):
    page = admin.get("/staff/privacy/records").get_data(as_text=True)
    for entry in REGISTRY:
        assert entry.table in page
    csv = admin.get("/staff/privacy/records.csv")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("table,columns,personal data")
    assert len(lines) == len(REGISTRY) + 1
    assert any("2,190 days" in line for line in lines if line.startswith("grant_documents"))


def test_a_registry_that_names_a_dropped_column_refuses_to_publish(client, db, monkeypatch):
    from engage.privacy import records, registry

    stale = registry.PersonalData(
        "contact_requests", ("phone",), "x", "x", "x", "x", "x", "x", "contact_details"
    )
    monkeypatch.setattr(registry, "REGISTRY", (*registry.REGISTRY, stale))
    with pytest.raises(RuntimeError, match="contact_requests.phone"):
        records.processing_records()
