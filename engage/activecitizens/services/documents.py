"""Supporting documents and photos: checked by content, kept outside the web root.

A file's type is read from its first bytes (and, for Office files, the parts inside the
zip), never from its name or the browser's Content-Type, and its name must agree.
"""

import contextlib
import io
import logging
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from engage.activecitizens.models import (
    ApplicationDocument,
    ApplicationState,
    ConflictDeclaration,
    DocumentKind,
    GrantApplication,
    ReviewAssignment,
)
from engage.activecitizens.models.applications import FILENAME_MAX
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.settings import settings

logger = logging.getLogger(__name__)

MAX_DOCUMENTS = 10
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    label: str
    is_image: bool = False


PDF = FileType("application/pdf", (".pdf",), "PDF")
PNG = FileType("image/png", (".png",), "PNG image", is_image=True)
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG image", is_image=True)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "Word"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel"
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
    "PowerPoint",
)
LEGACY_OFFICE = FileType("application/x-ole-storage", (".doc", ".xls", ".ppt"), "Office 97-2003")
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": FileType(
        "application/vnd.oasis.opendocument.text", (".odt",), "OpenDocument text"
    ),
    b"application/vnd.oasis.opendocument.spreadsheet": FileType(
        "application/vnd.oasis.opendocument.spreadsheet", (".ods",), "OpenDocument spreadsheet"
    ),
}
ACCEPTED = "PDF, JPEG, PNG, Word, Excel, PowerPoint or OpenDocument"
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}


def sniff(content: bytes) -> FileType | None:
    """The file's real type from its content, or None if it is not one the fund accepts."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(OLE2_MAGIC):
        return LEGACY_OFFICE
    if content.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    return None


def _sniff_zip(content: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return ODF_TYPES.get(archive.read("mimetype").strip())
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in _OOXML_PARTS.items() if part in names), None)


def readable_size(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f}".removesuffix(".0") + " MB"
    return f"{max(size // 1024, 1)} KB"


def storage_dir() -> Path:
    path = Path(settings.GRANT_DOCUMENTS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clean_name(filename: str) -> str:
    name = Path((filename or "").replace("\\", "/")).name.strip()
    return name[-FILENAME_MAX:] if name else ""


def store_document(
    application: GrantApplication, filename: str, content: bytes, kind: DocumentKind
) -> ApplicationDocument:
    """Check and keep an uploaded file; refuse anything that is not what its name says."""
    name = _clean_name(filename)
    if not name:
        raise DomainError("Choose a file to upload", "file")
    limit = settings.GRANT_DOCUMENT_MAX_BYTES
    if len(content) > limit:
        raise DomainError(
            f"'{name}' is {readable_size(len(content))}: the largest file we accept is "
            f"{readable_size(limit)}",
            "file",
        )
    if not content:
        raise DomainError(f"'{name}' is empty", "file")
    kind_found = sniff(content)
    if kind_found is None:
        raise DomainError(
            f"'{name}' is not a file type we accept: upload a {ACCEPTED} file", "file"
        )
    suffix = Path(name).suffix.lower()
    if suffix not in kind_found.extensions:
        raise DomainError(
            f"'{name}' is named as a {suffix or 'file without an extension'} but its content is "
            f"a {kind_found.label} file: rename it or upload the right file",
            "file",
        )
    if kind == DocumentKind.MONITORING_PHOTO and not kind_found.is_image:
        raise DomainError(f"'{name}' is not a photo: upload a JPEG or PNG", "file")
    if kind == DocumentKind.SUPPORTING and not application.is_editable:
        raise DomainError(
            "This application has been sent, so documents cannot be added", "file", status=409
        )
    if kind == DocumentKind.MONITORING_PHOTO and application.state != ApplicationState.MONITORING:
        raise DomainError("Photos are added with the end-of-project report", "file", status=409)
    if len(application.documents) >= MAX_DOCUMENTS:
        raise DomainError(f"You can upload up to {MAX_DOCUMENTS} files", "file")
    key = secrets.token_hex(16)
    document = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=name,
        storage_key=key,
        content_type=kind_found.content_type,
        size_bytes=len(content),
    )
    db.session.add(document)
    db.session.flush()
    _write(key, name, content)
    return document


def _write(key: str, name: str, content: bytes) -> None:
    """Write the file, or leave no part of it and refuse with a 503 (the caller rolls back)."""
    path = None
    try:
        path = storage_dir() / key
        path.write_bytes(content)
    except OSError as error:
        logger.error("A grant document could not be written: %s", error.strerror)
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)  # what a full disk let through
        raise DomainError(
            f"'{name}' could not be saved because the server's storage is full or not "
            "writable, so nothing was uploaded. Try again later; if it keeps happening, tell "
            "the fund's team.",
            "file",
            status=503,
        ) from None


def document_path(document: ApplicationDocument) -> Path:
    return storage_dir() / document.storage_key


def may_see(document: ApplicationDocument, user) -> bool:
    """The group that sent it, the PCC's office, or a reviewer assigned with no conflict."""
    application = document.application
    if not user.is_staff:
        return application.group_id == user.id
    if user.has_role(Role.PCC):
        return True
    if user.role != Role.REVIEWER:
        return False
    assigned_without_conflict = db.select(ReviewAssignment.id).where(
        ReviewAssignment.application_id == application.id,
        ReviewAssignment.reviewer_id == user.id,
        ReviewAssignment.declaration == ConflictDeclaration.NO_CONFLICT,
    )
    return db.session.scalar(assigned_without_conflict) is not None


def remove_document(application: GrantApplication, document: ApplicationDocument) -> None:
    if document.kind == DocumentKind.SUPPORTING and not application.is_editable:
        raise DomainError("Documents of a sent application cannot be removed", status=409)
    path = document_path(document)
    db.session.delete(document)
    db.session.flush()
    path.unlink(missing_ok=True)
