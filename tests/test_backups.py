"""A backup restored into an empty database has every response, grant document and audit entry."""

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from engage import create_app
from engage.activecitizens.models import (
    ApplicationDocument,
    ApplicationState,
    AuditEntry,
    DocumentKind,
)
from engage.activecitizens.services import documents
from engage.core.extensions import db as _db
from engage.surveys.models import QuestionKind, Response
from tests import conftest
from tests.grants import application_in_state, make_group

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A new, empty database of the same kind as the suite's."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    url = make_url(database_url)
    name = f"{url.database}_restore"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _everything() -> tuple:
    responses = _db.session.scalars(select(Response.reference).order_by(Response.id)).all()
    audit = _db.session.execute(
        select(AuditEntry.id, AuditEntry.action).order_by(AuditEntry.id)
    ).all()
    stored = _db.session.scalars(select(ApplicationDocument).order_by(ApplicationDocument.id))
    files = [(d.original_name, documents.document_path(d).read_bytes()) for d in stored]
    return responses, [tuple(row) for row in audit], files


def test_a_restored_backup_has_every_response_document_and_audit_entry(
    app, db, make_consultation, make_response, empty_database, tmp_path
):
    consultation_id = make_consultation(kinds=(QuestionKind.YES_NO,))
    for _ in range(3):
        make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    approved = application_in_state(ApplicationState.APPROVED)
    draft = application_in_state(
        ApplicationState.DRAFT,
        funding_round=approved.funding_round,
        group=make_group("second@example.org", name="Second"),
    )
    documents.store_document(draft, "plan.pdf", PDF, DocumentKind.SUPPORTING)
    db.session.commit()
    before = _everything()
    assert len(before[0]) == 3 and before[1] and before[2] == [("plan.pdf", PDF)]

    backup = tmp_path / "backup"
    created = app.test_cli_runner().invoke(args=["backup", "create", str(backup)])
    assert created.exit_code == 0, created.output
    again = app.test_cli_runner().invoke(args=["backup", "create", str(backup)])
    assert again.exit_code != 0 and "not empty" in again.output

    restored = create_app(
        conftest.test_config(
            empty_database, GRANT_DOCUMENTS_DIR=str(tmp_path / "restored-documents")
        )
    )
    with restored.app_context():  # the commands run in the current app's context
        result = restored.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
        assert result.exit_code == 0, result.output
        assert _everything() == before
        # A second restore into the now full database is refused and changes nothing.
        refused = restored.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
        assert refused.exit_code != 0 and "not empty" in refused.output
        assert _everything() == before
        _db.session.remove()
        _db.engine.dispose()
