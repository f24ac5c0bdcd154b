"""The CSV of every response: one row per response, one column per question, streamed.

Two queries, the responses (each with the options it chose, aggregated in SQL) and the written
answers, both ordered by response, are read through server-side cursors (`stream_results`,
`yield_per`) on connections of their own and merged, so memory stays flat however many
responses there are, and a job may commit its progress meanwhile. Rows are written in blocks
of EXPORT_BLOCK with csv.writer.writerows; labels (options, events, channels, areas) are
formula-guarded once, and only what the public typed is guarded row by row.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy import String, cast, func, select, type_coerce

from engage.core.extensions import db
from engage.surveys.models import CHANNEL_LABELS, Answer, Consultation, Event, Response
from engage.surveys.services.results import dimension_label
from engage.web.csv_writing import safe_cell

EXPORT_BLOCK = 5_000  # rows per block written and yielded; also rows fetched per round trip
ANSWER_SEPARATOR = "; "
HEADER = ["reference", "channel", "event", "area", "postcode_district", "age_band", "submitted_at"]


def _responses(consultation_id: int, last_id: int):
    # type_coerce: the raw values, without an enum or a datetime built for every row. The
    # options chosen come as one string per response ("12,15"), not a row per answer.
    chosen = (
        select(func.aggregate_strings(cast(Answer.option_id, String), ","))
        .where(Answer.response_id == Response.id, Answer.option_id.is_not(None))
        .scalar_subquery()
    )
    return (
        select(
            Response.id,
            Response.reference,
            type_coerce(Response.channel, String),
            Response.event_id,
            Response.area,
            Response.postcode_district,
            type_coerce(Response.age_band, String),
            type_coerce(Response.submitted_at, String),
            chosen,
        )
        .where(Response.consultation_id == consultation_id, Response.id <= last_id)
        .order_by(Response.id)
    )


def _texts(consultation_id: int, last_id: int):
    """The written answers, ordered by response: a small share of the answers."""
    return (
        select(Answer.response_id, Answer.question_id, Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.consultation_id == consultation_id,
            Response.id <= last_id,
            Answer.text.is_not(None),
        )
        .order_by(Answer.response_id, Answer.id)
    )


def _iso_utc(value) -> str:
    """A timestamp as ISO 8601 to the second in UTC, from SQLite's text or a datetime."""
    if isinstance(value, str):  # SQLite keeps "YYYY-MM-DD HH:MM:SS[.ffffff]", in UTC
        return f"{value[:10]}T{value[11:19]}+00:00"
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _streamed(connection, query) -> Iterator:
    result = connection.execution_options(stream_results=True, yield_per=EXPORT_BLOCK).execute(
        query
    )
    for part in result.partitions():
        yield from part


@dataclass
class _Layout:
    """The columns of one consultation's export, and its labels already formula-guarded."""

    consultation_id: int
    header: list[str]
    column: dict[int, int]  # question id: its answer column
    options: dict[str, tuple[int, int, str]]  # option id as text: (column, option id, label)
    events: dict[int, str]
    areas: dict[str | None, str] = field(default_factory=dict)

    def answers(self, chosen: str | None) -> list[str]:
        """Per question, the labels of the options chosen (as in "12,15"), by option id."""
        cells = [""] * len(self.column)
        if not chosen:
            return cells
        parts = chosen.split(",")
        clash = False
        for option in parts:
            column, _, label = self.options[option]
            clash = clash or bool(cells[column])
            cells[column] = label
        if clash:  # several options of one question: in option order, as the form lists them
            chosen_in: dict[int, list] = {}
            for option in parts:
                column, option_id, label = self.options[option]
                chosen_in.setdefault(column, []).append((option_id, label))
            for column, labels in chosen_in.items():
                cells[column] = ANSWER_SEPARATOR.join(label for _, label in sorted(labels))
        return cells

    def row(self, response, cells: list[str]) -> list[str]:
        _, reference, channel, event_id, area, postcode, age_band, submitted_at, _ = response
        if area not in self.areas:
            self.areas[area] = safe_cell(dimension_label("area", area))
        return [
            reference,
            CHANNELS.get(channel) or safe_cell(channel),
            self.events.get(event_id, ""),
            self.areas[area],
            safe_cell(postcode),
            age_band or "",
            _iso_utc(submitted_at),
            *cells,
        ]


CHANNELS = {channel.value: safe_cell(label) for channel, label in CHANNEL_LABELS.items()}


def responses_csv(
    consultation: Consultation, on_block: Callable[[int], None] = lambda rows: None
) -> Iterator[str]:
    """The CSV text in blocks; `on_block` is told the responses written so far after each.

    The layout is read now, not when the first block is asked for: a streamed download asks
    for it after the view has returned."""
    questions = list(consultation.questions)
    layout = _Layout(
        consultation_id=consultation.id,
        header=HEADER + [f"Q{n}. {question.prompt}" for n, question in enumerate(questions, 1)],
        column={question.id: index for index, question in enumerate(questions)},
        options={
            str(option.id): (index, option.id, safe_cell(option.label))
            for index, question in enumerate(questions)
            for option in question.options
        },
        events={
            event_id: safe_cell(name)
            for event_id, name in db.session.execute(
                select(Event.id, Event.name).where(Event.consultation_id == consultation.id)
            )
        },
    )
    return _blocks(layout, on_block)


def _blocks(layout: _Layout, on_block: Callable[[int], None]) -> Iterator[str]:
    """The header and rows, a block of CSV text at a time, merging two streams ordered by
    response: the responses, and their answers (no response's columns repeated per answer)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in layout.header])
    last_id = db.session.scalar(
        select(func.max(Response.id)).where(Response.consultation_id == layout.consultation_id)
    )
    written, block = 0, []
    # Both streams stop at the newest response now, so one stored meanwhile is in neither.
    with db.engine.connect() as responses, db.engine.connect() as text_rows:
        texts = _streamed(text_rows, _texts(layout.consultation_id, last_id or 0))
        text = next(texts, None)
        for response in _streamed(responses, _responses(layout.consultation_id, last_id or 0)):
            cells = layout.answers(response[8])
            while text is not None and text[0] <= response[0]:
                if text[0] == response[0]:
                    column = layout.column[text[1]]
                    written_text = safe_cell(text[2])
                    cells[column] = (
                        f"{cells[column]}{ANSWER_SEPARATOR}{written_text}"
                        if cells[column]
                        else written_text
                    )
                text = next(texts, None)
            block.append(layout.row(response, cells))
            if len(block) == EXPORT_BLOCK:
                writer.writerows(block)
                written += len(block)
                block = []
                yield _take(buffer)
                on_block(written)
    writer.writerows(block)
    written += len(block)
    yield _take(buffer)
    on_block(written)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
