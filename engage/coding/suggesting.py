"""Long work on a frame's texts: suggesting themes, and training code suggestions.

Each is one service function that a background job (engage.coding.jobs) runs.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from engage.analysis.code_suggester import MIN_EXAMPLES, CodeQuality, train_code_suggester
from engage.analysis.themes import suggest_themes
from engage.coding.models import (
    CODE_NAME_MAX,
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
from engage.coding.texts import FrameText, frame_texts
from engage.core.errors import DomainError
from engage.core.extensions import db


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


def find_frame_themes(frame: CodeFrame, max_themes: int = 8) -> dict:
    """Suggest themes in the frame's texts, as plain data a job stores as its result."""
    texts = [text.text for text in frame_texts(frame)]
    found = suggest_themes(texts, max_themes=max_themes, examples=3)
    return {
        "themes": [
            {
                "label": _fit_name(theme.label),
                "terms": ", ".join(term for term, _ in theme.terms)[:NOTE_MAX],
                "size": theme.size,
                "examples": [texts[i] for i in theme.examples],
            }
            for theme in found.themes
        ],
        "texts": len(texts),
        "uncovered": found.uncovered,
        "reason": found.reason,
    }


def decided_themes(frame: CodeFrame, found: dict) -> FrameSuggestions:
    """The themes `find_frame_themes` found, each marked with the code staff made of it since."""
    decided = {
        event.note: event.code
        for code in frame.codes
        for event in code.events
        if event.note and event.kind in (CodeEventKind.ACCEPTED, CodeEventKind.REJECTED)
    }
    themes = [
        SuggestedTheme(
            label=theme["label"],
            terms=theme["terms"],
            size=theme["size"],
            examples=theme["examples"],
            decided=decided.get(theme["terms"]),
        )
        for theme in found["themes"]
    ]
    return FrameSuggestions(
        themes=themes, texts=found["texts"], uncovered=found["uncovered"], reason=found["reason"]
    )


def suggest_frame_themes(frame: CodeFrame, max_themes: int = 8) -> FrameSuggestions:
    """Suggest themes in the frame's texts, marking those staff already accepted or rejected."""
    return decided_themes(frame, find_frame_themes(frame, max_themes))


def _fit_name(label: str) -> str:
    """The label, cut at a term if need be, so that it can be a code's name as it is."""
    while len(label) > CODE_NAME_MAX and ", " in label:
        label = label.rsplit(", ", 1)[0]
    return label[:CODE_NAME_MAX]


TRAINING_STEPS = 3  # reading people's coding, training, storing the suggestions


@dataclass(frozen=True)
class TrainingReport:
    """How the suggestions were measured, per active code, and how many texts got some."""

    quality: list[tuple[Code, CodeQuality]]
    coded: int
    held_back: int
    suggested: int  # uncoded texts that now carry at least one suggestion
    min_examples: int


def train_suggestions(
    frame: CodeFrame,
    min_examples: int = MIN_EXAMPLES,
    on_step: Callable[[int], None] = lambda step: None,
) -> TrainingReport:
    """Train on people's first-pass coding, then store suggestions for the texts nobody coded.

    Calls `on_step` with 1 once the coding is read, 2 once trained (of TRAINING_STEPS)."""
    codes = [code for code in frame.codes if code.status == CodeStatus.ACTIVE]
    if not codes:
        raise DomainError("Accept some themes as codes before training suggestions.")
    active = {code.id for code in codes}
    texts = frame_texts(frame)
    by_person = _first_pass(frame)
    coded = [text for text in texts if text.key in by_person]
    if not coded:
        raise DomainError("Code some texts first: suggestions are learnt from people's coding.")
    on_step(1)
    suggester = train_code_suggester(
        [text.text for text in coded],
        [by_person[text.key] & active for text in coded],
        [code.id for code in codes],
        min_examples=min_examples,
    )
    on_step(2)
    uncoded = [text for text in texts if text.key not in by_person]
    suggested = _replace_suggestions(frame, uncoded, suggester.suggest([t.text for t in uncoded]))
    return TrainingReport(
        quality=[(code, suggester.quality[code.id]) for code in codes],
        coded=len(coded),
        held_back=len(suggester.held_back),
        suggested=suggested,
        min_examples=min_examples,
    )


def _replace_suggestions(frame: CodeFrame, texts: list[FrameText], suggestions) -> int:
    """Replace the machine's suggestions on texts no person coded, in a few statements: one
    text at a time through `store_machine_codes` took seconds per thousand texts.

    Returns the number of texts given at least one suggestion.
    """
    column = CodedText.answer_id if frame.question_id is not None else CodedText.post_id
    machine_only = select(CodedText.id).where(
        CodedText.frame_id == frame.id,
        CodedText.coding_pass == CodingPass.FIRST,
        CodedText.coder_id.is_(None),
    )
    given = [(text, found) for text, found in zip(texts, suggestions, strict=True) if found]
    try:
        with db.session.begin_nested():
            db.session.execute(
                delete(Coding).where(Coding.coded_text_id.in_(machine_only)),
                execution_options={"synchronize_session": False},
            )
            db.session.execute(
                delete(CodedText).where(CodedText.id.in_(machine_only.scalar_subquery())),
                execution_options={"synchronize_session": False},
            )
            if not given:
                return 0
            rows = db.session.execute(
                insert(CodedText).returning(CodedText.id, sort_by_parameter_order=True),
                [
                    {
                        "frame_id": frame.id,
                        column.key: text.answer_id or text.post_id,
                        "coding_pass": CodingPass.FIRST,
                    }
                    for text, _ in given
                ],
            ).scalars()
            db.session.execute(
                insert(Coding),
                [
                    {
                        "coded_text_id": coded_text_id,
                        "code_id": suggestion.code,
                        "source": CodingSource.MACHINE,
                        "confidence": suggestion.confidence,
                    }
                    for coded_text_id, (_, found) in zip(rows.all(), given, strict=True)
                    for suggestion in found
                ],
            )
    except IntegrityError as error:
        raise DomainError(
            "Someone coded a text while the suggestions were being stored. Train again.",
            status=409,
        ) from error
    return len(given)


def _first_pass(frame: CodeFrame) -> dict[str, set[int]]:
    """Text key: the codes people applied to it in the first pass."""
    rows = db.session.execute(
        select(CodedText.answer_id, CodedText.post_id, Coding.code_id)
        .outerjoin(
            Coding,
            (Coding.coded_text_id == CodedText.id) & (Coding.source == CodingSource.HUMAN),
        )
        .where(
            CodedText.frame_id == frame.id,
            CodedText.coding_pass == CodingPass.FIRST,
            CodedText.coder_id.is_not(None),
        )
    )
    by_person: dict[str, set[int]] = {}
    for answer_id, post_id, code_id in rows:
        applied = by_person.setdefault(FrameText(answer_id, post_id, "").key, set())
        if code_id is not None:
            applied.add(code_id)
    return by_person
