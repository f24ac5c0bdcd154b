"""A grant document uploaded when the disk is full or not writable: a clear 503, no row, no file.

Root ignores permission bits, so "not writable" is a documents directory whose parent is a file.
"Full" is a tmpfs of 64 KB mounted for the test (skipped where mounting is not allowed): the
kernel's own ENOSPC, part-way through the write.
"""

import html
import os
import shutil
import subprocess

import pytest

from engage.activecitizens.models import ApplicationDocument
from tests.grants import application_in_state, make_round
from tests.test_activecitizens_applying import PDF, S, sign_in_group, upload

pytestmark = [pytest.mark.faults, pytest.mark.usefixtures("postgres_leg")]

NOT_SAVED = "could not be saved because the server's storage is full or not writable"


@pytest.fixture
def draft_id(db):
    application = application_in_state(S.DRAFT, funding_round=make_round())
    db.session.commit()
    return application.id


def _documents(db) -> int:
    db.session.remove()
    return db.session.scalar(db.select(db.func.count(ApplicationDocument.id)))


def _assert_refused(response, db, name: str) -> None:
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 503, text[:500]
    assert f"'{name}' {NOT_SAVED}" in text and "Traceback" not in text
    assert _documents(db) == 0


def test_an_unwritable_documents_directory_refuses_the_upload_and_stores_nothing(
    db, draft_id, make_app, tmp_path
):
    blocker = tmp_path / "a-file"
    blocker.write_text("the documents directory cannot be made under a file")
    client = make_app(GRANT_DOCUMENTS_DIR=str(blocker / "documents")).test_client()
    sign_in_group(client)

    _assert_refused(upload(client, draft_id, "constitution.pdf", PDF), db, "constitution.pdf")

    blocker.unlink()  # the storage is fixed: the same app takes the file
    assert upload(client, draft_id, "constitution.pdf", PDF).status_code == 303
    assert _documents(db) == 1


@pytest.fixture
def full_disk(tmp_path):
    """A 64 KB tmpfs, unmounted afterwards; skip where this process may not mount one."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        timeout=10,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True, timeout=10)


def test_a_full_disk_refuses_the_upload_and_leaves_no_part_of_the_file(
    db, draft_id, make_app, full_disk
):
    client = make_app(GRANT_DOCUMENTS_DIR=str(full_disk)).test_client()
    sign_in_group(client)
    big = PDF + b"0" * 100 * 1024  # more than the disk holds

    _assert_refused(upload(client, draft_id, "budget.pdf", big), db, "budget.pdf")
    assert list(full_disk.iterdir()) == []  # the part written before the disk filled is gone

    assert upload(client, draft_id, "small.pdf", PDF).status_code == 303  # room for a small one
    assert _documents(db) == 1
