"""The board report: one consultation's methods, numbers, findings and commitments, to print.

Built from the same services as the results page (tallies, never a scan of the answers), so the
report and the page cannot disagree. The PDF is the printable page run through WeasyPrint.
"""

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from engage.analysis.agreement import Kappa
from engage.analysis.print_charts import diverging_bars_svg, percentage_bars_svg
from engage.analysis.statistics import percentage
from engage.coding.services import existing_question_frame, kappa_for_frame
from engage.coding.texts import ThemeCounts, question_theme_counts
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.outcomes.models import Commitment
from engage.outcomes.services import list_commitments
from engage.surveys.models import (
    CHANNEL_LABELS,
    EVENT_KIND_LABELS,
    Consultation,
    QuestionKind,
)
from engage.surveys.services.events import responses_per_event
from engage.surveys.services.free_text import sentiment_counts
from engage.surveys.services.representation import Representation
from engage.surveys.services.results import ConsultationResults, Filters, QuestionResult
from engage.surveys.services.weighting import WeightedResults, results_report


@dataclass
class ChannelRow:
    label: str
    responses: int
    percent: float | None


@dataclass
class EventKindRow:
    label: str
    events: int
    attendees: int
    responses: int


@dataclass
class Finding:
    result: QuestionResult
    chart: Markup | None = None
    sentiment: dict[str, int] | None = None
    themes: ThemeCounts | None = None
    agreement: Kappa | None = None


@dataclass
class BoardReport:
    consultation: Consultation
    generated_at: datetime
    results: ConsultationResults
    weighted: WeightedResults
    representation: Representation
    channels: list[ChannelRow]
    events: list[EventKindRow]
    findings: list[Finding]
    commitments: list[Commitment] = field(default_factory=list)


def _channels(results: ConsultationResults) -> list[ChannelRow]:
    rows = []
    for channel, label in CHANNEL_LABELS.items():
        count = results.by_channel.get(channel.value, 0)
        if count:
            rows.append(ChannelRow(label, count, percentage(count, results.total_responses)))
    return rows


def _events(consultation: Consultation) -> list[EventKindRow]:
    per_event = responses_per_event(consultation)
    rows = {kind: EventKindRow(label, 0, 0, 0) for kind, label in EVENT_KIND_LABELS.items()}
    for event in consultation.events:
        row = rows[event.kind]
        row.events += 1
        row.attendees += event.attendees or 0
        row.responses += per_event.get(event.id, 0)
    return [row for row in rows.values() if row.events]


def _finding(result: QuestionResult) -> Finding:
    if result.question.kind == QuestionKind.FREE_TEXT:
        frame = existing_question_frame(result.question.id)
        return Finding(
            result,
            sentiment=sentiment_counts(result.question),
            themes=question_theme_counts([result.question.id]).get(result.question.id),
            agreement=kappa_for_frame(frame).overall if frame is not None else None,
        )
    if not result.answered:
        return Finding(result)
    if result.question.kind == QuestionKind.AGREEMENT:
        # As on the results page: from disagreeing (stored last) to agreeing.
        svg = diverging_bars_svg(
            result.question.prompt,
            [option.label for option in reversed(result.options)],
            [("Everyone", [option.percent for option in reversed(result.options)])],
        )
        return Finding(result, chart=Markup(svg))  # noqa: S704 - every label is escaped inside
    svg = percentage_bars_svg(
        result.question.prompt,
        [option.label for option in result.options],
        [option.percent for option in result.options],
        [option.interval for option in result.options],
    )
    return Finding(result, chart=Markup(svg))  # noqa: S704 - every label is escaped inside


def board_report(consultation: Consultation) -> BoardReport:
    """Everything the Strategic Policing and Crime Board pack needs for one consultation."""
    figures = results_report(consultation, Filters())
    results = figures.results
    return BoardReport(
        consultation=consultation,
        generated_at=utcnow(),
        results=results,
        weighted=figures.weighted,
        representation=figures.representation,
        channels=_channels(results),
        events=_events(consultation),
        findings=[_finding(result) for result in results.overall.questions],
        commitments=list_commitments(consultation),
    )


def laid_out_report(html: str, base_url: str):
    """The printable page laid out as PDF pages (WeasyPrint's Document: `write_pdf(target)`).

    WeasyPrint is imported here: only this needs its system libraries."""
    try:
        from weasyprint import HTML
    except OSError as missing:  # Pango, which WeasyPrint draws text with, is not installed
        raise DomainError(
            "The PDF cannot be made on this server: its text-layout libraries (Pango) are "
            "missing. Print the report page instead, or ask for `make system-libs` to be run.",
            status=503,
        ) from missing
    return HTML(string=html, base_url=base_url).render()
