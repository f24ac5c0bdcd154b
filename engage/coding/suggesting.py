"""Long work on a frame's texts: suggesting themes, and training code suggestions.

Each is one service function, so that a job queue can take it over from the view.
"""

from dataclasses import dataclass

from sqlalchemy import select

from engage.analysis.code_suggester import MIN_EXAMPLES, CodeQuality, train_code_suggester
from engage.analysis.themes import suggest_themes
from engage.coding.models import (
    NOTE_MAX,
    Code,
    CodedText,
    CodeEventKind,
    CodeFrame,
    CodeStatus,
    Coding,
    CodingPass,
    CodingSource,
)
from engage.coding.services import store_machine_codes
from engage.coding.texts import FrameText, frame_texts
from engage.errors_domain import DomainError
from engage.extensions import db


@dataclass(frozen=True)
class SuggestedTheme:
    label: str
    terms: str  # the top terms, comma-separated, as recorded with the decision
    size: int
    examples: list[str]
    decided: Code | None  # the code (accepted or rejected) already made from this theme


@dataclass(frozen=True)
class FrameSuggestions:
    themes: list[SuggestedTheme]
    texts: int
    uncovered: int
    reason: str | None


def suggest_frame_themes(frame: CodeFrame, max_themes: int = 8) -> FrameSuggestions:
    """Suggest themes in the frame's texts, marking those staff already accepted or rejected."""
    texts = [text.text for text in frame_texts(frame)]
    found = suggest_themes(texts, max_themes=max_themes, examples=3)
    decided = {
        event.note: event.code
        for code in frame.codes
        for event in code.events
        if event.note and event.kind in (CodeEventKind.ACCEPTED, CodeEventKind.REJECTED)
    }
    themes = []
    for theme in found.themes:
        terms = ", ".join(term for term, _ in theme.terms)[:NOTE_MAX]
        themes.append(
            SuggestedTheme(
                label=theme.label,
                terms=terms,
                size=theme.size,
                examples=[texts[i] for i in theme.examples],
                decided=decided.get(terms),
            )
        )
    return FrameSuggestions(
        themes=themes, texts=len(texts), uncovered=found.uncovered, reason=found.reason
    )


@dataclass(frozen=True)
class TrainingReport:
    """How the suggestions were measured, per active code, and how many texts got some."""

    quality: list[tuple[Code, CodeQuality]]
    coded: int
    held_back: int
    suggested: int  # uncoded texts that now carry at least one suggestion
    min_examples: int


def train_suggestions(frame: CodeFrame, min_examples: int = MIN_EXAMPLES) -> TrainingReport:
    """Train on people's first-pass coding, then store suggestions for the texts nobody coded."""
    codes = [code for code in frame.codes if code.status == CodeStatus.ACTIVE]
    if not codes:
        raise DomainError("Accept some themes as codes before training suggestions.")
    active = {code.id for code in codes}
    texts = frame_texts(frame)
    by_person, machine_only = _first_pass(frame)
    coded = [text for text in texts if text.key in by_person]
    if not coded:
        raise DomainError("Code some texts first: suggestions are learnt from people's coding.")
    suggester = train_code_suggester(
        [text.text for text in coded],
        [by_person[text.key] & active for text in coded],
        [code.id for code in codes],
        min_examples=min_examples,
    )
    uncoded = [text for text in texts if text.key not in by_person]
    suggested = 0
    for text, suggestions in zip(
        uncoded, suggester.suggest([t.text for t in uncoded]), strict=True
    ):
        if suggestions or text.key in machine_only:
            # An older suggestion the new classifiers no longer make is cleared.
            store_machine_codes(frame, {s.code: s.confidence for s in suggestions}, **text.ids)
            suggested += bool(suggestions)
    return TrainingReport(
        quality=[(code, suggester.quality[code.id]) for code in codes],
        coded=len(coded),
        held_back=len(suggester.held_back),
        suggested=suggested,
        min_examples=min_examples,
    )


def _first_pass(frame: CodeFrame) -> tuple[dict[str, set[int]], set[str]]:
    """(text key: codes people applied), and the keys of texts with only machine suggestions."""
    rows = db.session.execute(
        select(CodedText.answer_id, CodedText.post_id, CodedText.coder_id, Coding.code_id)
        .outerjoin(
            Coding,
            (Coding.coded_text_id == CodedText.id) & (Coding.source == CodingSource.HUMAN),
        )
        .where(CodedText.frame_id == frame.id, CodedText.coding_pass == CodingPass.FIRST)
    )
    by_person: dict[str, set[int]] = {}
    machine_only: set[str] = set()
    for answer_id, post_id, coder_id, code_id in rows:
        key = FrameText(answer_id, post_id, "").key
        if coder_id is None:
            machine_only.add(key)
            continue
        applied = by_person.setdefault(key, set())
        if code_id is not None:
            applied.add(code_id)
    return by_person, machine_only
