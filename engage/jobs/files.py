"""Files that jobs make for download (exports, PDFs): kept under EXPORTS_DIR, written whole."""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from engage.core.settings import settings


def exports_dir() -> Path:
    return Path(settings.EXPORTS_DIR)


def write_whole(target: Path, write: Callable[[IO], None], binary: bool = False) -> None:
    """Write `target` through a temporary file renamed into place, so a reader (or a download)
    never sees half a file, and a job that dies mid-write leaves none behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        if binary:
            with os.fdopen(handle, "wb") as out:
                write(out)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                write(out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def job_file(job, name: str, suffix: str) -> Path:
    """Where `job` keeps its file: named by its id and when it was created, as SQLite may give
    a purged job's id to a new one."""
    return exports_dir() / f"{name}-{job.id}-{job.created_at:%Y%m%d%H%M%S%f}.{suffix}"
