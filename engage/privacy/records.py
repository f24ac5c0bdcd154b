"""The privacy notice and the record of processing activities (UK GDPR Art. 30), built from
the registry and the retention settings in force, so they say what the code does."""

from collections.abc import Iterator
from dataclasses import dataclass

from engage.core.extensions import db
from engage.privacy.registry import REGISTRY, PersonalData, missing_columns
from engage.privacy.schedule import BY_KEY, retention_days


@dataclass(frozen=True)
class ProcessingRecord:
    entry: PersonalData
    retention: str


def _retention(entry: PersonalData, periods: dict[str, int]) -> str:
    data_class = BY_KEY.get(entry.retention)
    if data_class is None:
        return entry.retention
    return f"{periods[data_class.key]:,} days after {data_class.starts}; then {data_class.done}"


def processing_records(public_only: bool = False) -> list[ProcessingRecord]:
    """Each registered holding of personal data with its retention as set today.

    Raises if the registry names a column the schema no longer has, rather than publish a
    notice about data that is not (or no longer) held that way."""
    drift = missing_columns(db.metadata)
    if drift:
        raise RuntimeError(f"the privacy registry names columns that do not exist: {drift}")
    periods = retention_days()
    return [
        ProcessingRecord(entry, _retention(entry, periods))
        for entry in REGISTRY
        if entry.public or not public_only
    ]


HEADER = [
    "table",
    "columns",
    "personal data",
    "data subjects",
    "source",
    "purpose",
    "lawful basis",
    "recipients",
    "retention",
]


def processing_rows() -> Iterator[list[str]]:
    yield HEADER
    for record in processing_records():
        entry = record.entry
        yield [
            entry.table,
            " ".join(entry.columns),
            entry.held,
            entry.whose,
            entry.source,
            entry.purpose,
            entry.basis,
            entry.recipients,
            record.retention,
        ]
