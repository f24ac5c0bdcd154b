"""The audit log in people's words: action names, public status names, criteria by name.

The stored entry keeps its raw JSON (the CSV export gives it as stored); this only reads it.
"""

import json
from dataclasses import dataclass

from engage.activecitizens.models import ApplicationState, AuditEntry, RoundCriterion
from engage.activecitizens.services.workflow import ACTION_LABELS, PUBLIC_NAMES
from engage.core.extensions import db

OTHER_ACTION_LABELS = {
    "start": "Started an application",
    "create_round": "Created the round",
    "update_round": "Changed the round",
    "assign_reviewer": "Assigned a reviewer",
    "declare_conflict": "Declared a conflict of interest",
    "declare_no_conflict": "Declared no conflict of interest",
    "score": "Scored the application",
    "monitoring_report": "Sent the end-of-project report",
    "publish_awards": "Published the round's awards",
    "withdraw_publication": "Withdrew the publication of the awards",
}
ACTION_NAMES = {action.value: label for action, label in ACTION_LABELS.items()}
ACTION_NAMES |= OTHER_ACTION_LABELS


@dataclass(frozen=True)
class ReadableEntry:
    entry: AuditEntry
    action: str
    states: str
    details: list[tuple[str, str]]


def _state_name(code: str | None) -> str:
    if code is None:
        return "–"
    try:
        return PUBLIC_NAMES[ApplicationState(code)]
    except ValueError:
        return code


def _scores(value, names: dict[str, str]) -> str:
    if not value:
        return "none"
    return ", ".join(
        f"{names.get(str(key), f'criterion {key}')} {score}" for key, score in value.items()
    )


def _value(key: str, value, names: dict[str, str]) -> str:
    if key == "scores":
        return _scores(value, names)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _details(raw: str, names: dict[str, str]) -> list[tuple[str, str]]:
    shown = []
    for key, value in json.loads(raw or "{}").items():
        if value in (None, "", False):
            continue
        label = key.replace("_", " ").capitalize()
        if isinstance(value, list) and len(value) == 2:
            before, after = (_value(key, side, names) for side in value)
            text = after if value[0] in (None, "", {}) else f"{before} → {after}"
        else:
            text = _value(key, value, names)
        shown.append((label, text))
    return shown


def criterion_names(round_ids: set[int]) -> dict[str, str]:
    rows = db.session.execute(
        db.select(RoundCriterion.id, RoundCriterion.name).where(
            RoundCriterion.round_id.in_(round_ids)
        )
    )
    return {str(criterion_id): name for criterion_id, name in rows}


def readable(entries: list[AuditEntry]) -> list[ReadableEntry]:
    """Each entry with its action, change of status and details put in plain words."""
    names = criterion_names({entry.round_id for entry in entries if entry.round_id})
    return [
        ReadableEntry(
            entry,
            ACTION_NAMES.get(entry.action, entry.action.replace("_", " ").capitalize()),
            f"{_state_name(entry.state_before)} → {_state_name(entry.state_after)}"
            if entry.state_after
            else "",
            _details(entry.details, names),
        )
        for entry in entries
    ]


def audit_rows(entries: list[AuditEntry]):
    """CSV rows of the log as stored: codes and raw JSON, for analysis and audit."""
    yield ["at", "actor", "action", "application_id", "state_before", "state_after", "details"]
    for entry in entries:
        yield [
            entry.at.isoformat(),
            entry.actor_label,
            entry.action,
            entry.application_id or "",
            entry.state_before or "",
            entry.state_after or "",
            entry.details,
        ]
