"""The texts a code frame codes: which comes next, a second coder's sample, and code counts."""

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import and_, exists, func, select

from engage.auth.models import StaffUser
from engage.coding.models import Code, CodedText, CodeFrame, CodeStatus, Coding, CodingPass
from engage.coding.services import coding_progress
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.social.models import SocialPost
from engage.surveys.models import Answer, Response

SAMPLE_SHARE = 0.1
SAMPLE_MAX = 10_000


@dataclass(frozen=True)
class FrameText:
    """An answer or a post to code, named by `key` ("answer-12", "post-7") in forms."""

    answer_id: int | None
    post_id: int | None
    text: str

    @property
    def key(self) -> str:
        return f"answer-{self.answer_id}" if self.answer_id is not None else f"post-{self.post_id}"

    @property
    def ids(self) -> dict[str, int | None]:
        """The keyword arguments `assign_codes` takes to name this text."""
        return {"answer_id": self.answer_id, "post_id": self.post_id}


def _source(frame: CodeFrame):
    """(text id column, text column, CodedText's column for it, conditions) for the frame."""
    if frame.question_id is not None:
        return (
            Answer.id,
            Answer.text,
            CodedText.answer_id,
            [Answer.question_id == frame.question_id, Answer.text.is_not(None), Answer.text != ""],
        )
    return (
        SocialPost.id,
        SocialPost.text,
        CodedText.post_id,
        [SocialPost.campaign_id == frame.campaign_id, SocialPost.hidden.is_(False)],
    )


def _frame_text(frame: CodeFrame, text_id: int, text: str) -> FrameText:
    if frame.question_id is not None:
        return FrameText(answer_id=text_id, post_id=None, text=text)
    return FrameText(answer_id=None, post_id=text_id, text=text)


def frame_texts(frame: CodeFrame) -> list[FrameText]:
    """Every text the frame codes (written answers, or posts not hidden), oldest first."""
    id_column, text_column, _, conditions = _source(frame)
    rows = db.session.execute(select(id_column, text_column).where(*conditions).order_by(id_column))
    return [_frame_text(frame, text_id, text) for text_id, text in rows]


def frame_text_ids(frame: CodeFrame):
    """A query of the ids of every text the frame codes."""
    id_column, _, _, conditions = _source(frame)
    return select(id_column).where(*conditions)


def text_by_key(frame: CodeFrame, key: str | None) -> FrameText:
    """The frame's text named by `key`, or a 404."""
    kind, _, number = (key or "").partition("-")
    id_column, text_column, _, conditions = _source(frame)
    expected = "answer" if frame.question_id is not None else "post"
    if kind != expected or not number.isdigit():
        raise DomainError("That text is not in this question or campaign.", status=404)
    text = db.session.scalar(select(text_column).where(id_column == int(number), *conditions))
    if text is None:
        raise DomainError("That text is not in this question or campaign.", status=404)
    return _frame_text(frame, int(number), text)


def texts_of(frame: CodeFrame, pairs: Iterable[tuple[int | None, int | None]]) -> dict:
    """The words of these (answer id, post id) texts, in one query; a post hidden since it was
    coded is still coded, so it is still found."""
    ids = {answer_id or post_id for answer_id, post_id in pairs}
    id_column, text_column, _, _ = _source(frame)
    rows = db.session.execute(select(id_column, text_column).where(id_column.in_(ids)))
    return {
        (text_id, None) if frame.question_id is not None else (None, text_id): text
        for text_id, text in rows
    }


def _coded_in(frame: CodeFrame, coding_pass: CodingPass):
    """Whether a person has coded the text in this pass, correlated with the text's row."""
    id_column, _, coded_column, _ = _source(frame)
    return exists().where(
        CodedText.frame_id == frame.id,
        coded_column == id_column,
        CodedText.coding_pass == coding_pass,
        CodedText.coder_id.is_not(None),
    )


def next_to_code(frame: CodeFrame, after: FrameText | None = None) -> FrameText | None:
    """The first text (after `after`, when skipping) no person has coded in the first pass."""
    id_column, text_column, _, conditions = _source(frame)
    query = select(id_column, text_column).where(*conditions, ~_coded_in(frame, CodingPass.FIRST))
    if after is not None:
        query = query.where(id_column > (after.answer_id or after.post_id))
    row = db.session.execute(query.order_by(id_column).limit(1)).first()
    return _frame_text(frame, *row) if row else None


@dataclass(frozen=True)
class AppliedCode:
    """A code on a text: who applied it (None: the machine), when, and the machine's confidence."""

    code_id: int
    by: str | None
    at: datetime
    confidence: float | None


def applied_codes(
    frame: CodeFrame, text: FrameText, coding_pass: CodingPass
) -> dict[int, AppliedCode]:
    """The codes on the text in this pass (code id: who and when), machine suggestions included."""
    _, _, coded_column, _ = _source(frame)
    rows = db.session.execute(
        select(
            Coding.code_id, StaffUser.name, StaffUser.email, Coding.created_at, Coding.confidence
        )
        .join(CodedText, Coding.coded_text_id == CodedText.id)
        .outerjoin(StaffUser, Coding.assigned_by_id == StaffUser.id)
        .where(
            CodedText.frame_id == frame.id,
            CodedText.coding_pass == coding_pass,
            coded_column == (text.answer_id or text.post_id),
        )
    )
    return {
        code_id: AppliedCode(code_id, (name or email) if email else None, at, confidence)
        for code_id, name, email, at, confidence in rows
    }


def default_sample_size(frame: CodeFrame) -> int:
    """A tenth of the texts coded so far in the first pass, at least one."""
    return max(1, math.ceil(SAMPLE_SHARE * coding_progress(frame).coded))


def second_coding_sample(frame: CodeFrame, coder: StaffUser, size: int) -> list[FrameText]:
    """A reproducible random sample of `size` first-pass-coded texts for `coder` to code again.

    Texts `coder` coded (or applied a code to) in the first pass are never in it. The order is
    a hash of the frame, the coder and the text, so the same coder gets the same sample back,
    and texts coded later join it without pushing out those already in it.
    """
    if not 1 <= size <= SAMPLE_MAX:
        raise DomainError(
            f"Choose a sample of between 1 and {SAMPLE_MAX:,} texts.", field="size", status=400
        )
    id_column, text_column, coded_column, conditions = _source(frame)
    first_coded = (
        select(CodedText.id)
        .where(
            CodedText.frame_id == frame.id,
            coded_column == id_column,
            CodedText.coding_pass == CodingPass.FIRST,
            CodedText.coder_id.is_not(None),
            CodedText.coder_id != coder.id,
        )
        .where(
            ~exists().where(Coding.coded_text_id == CodedText.id, Coding.assigned_by_id == coder.id)
        )
    )
    rows = db.session.execute(
        select(id_column, text_column).where(*conditions, exists(first_coded))
    ).all()
    rows = sorted(rows, key=lambda row: _shuffle_key(frame, coder, row[0]))
    return [_frame_text(frame, *row) for row in rows[:size]]


def _shuffle_key(frame: CodeFrame, coder: StaffUser, text_id: int) -> bytes:
    return hashlib.sha256(f"{frame.id}:{coder.id}:{text_id}".encode()).digest()


def second_coded_keys(frame: CodeFrame, texts: Iterable[FrameText]) -> set[str]:
    """Which of `texts` someone has already coded in the second pass."""
    wanted = {text.answer_id or text.post_id for text in texts}
    if not wanted:
        return set()
    _, _, coded_column, _ = _source(frame)
    done = db.session.scalars(
        select(coded_column).where(
            CodedText.frame_id == frame.id,
            CodedText.coding_pass == CodingPass.SECOND,
            coded_column.in_(wanted),
        )
    )
    prefix = "answer" if frame.question_id is not None else "post"
    return {f"{prefix}-{text_id}" for text_id in done}


@dataclass(frozen=True)
class ThemeCounts:
    """A question's active codes and how many texts people coded with each, most first."""

    coded: int  # texts a person coded in the first pass
    counts: list[tuple[str, int]]

    def percent(self, count: int) -> float | None:
        return 100 * count / self.coded if self.coded else None


def question_theme_counts(
    question_ids: Iterable[int], channel: str | None = None, area: str | None = None
) -> dict[int, ThemeCounts]:
    """Code counts for each of these questions whose frame has active codes, over the texts of
    responses from `channel` and `area` when given (the results page's filters)."""
    ids = list(question_ids)
    if not ids:
        return {}
    frames = list(
        db.session.scalars(
            select(CodeFrame).where(
                CodeFrame.question_id.in_(ids),
                exists().where(
                    and_(Code.frame_id == CodeFrame.id, Code.status == CodeStatus.ACTIVE)
                ),
            )
        )
    )
    if channel or area:
        return _filtered_theme_counts(frames, channel, area)
    counts = {}
    for frame in frames:
        progress = coding_progress(frame)
        counts[cast(int, frame.question_id)] = _ranked(frame, progress.coded, progress.by_code)
    return counts


def _ranked(frame: CodeFrame, coded: int, by_code: dict[int, int]) -> ThemeCounts:
    names = {code.id: code.name for code in frame.codes if code.status == CodeStatus.ACTIVE}
    counted = {code_id: by_code.get(code_id, 0) for code_id in names}
    ranked = sorted(counted.items(), key=lambda item: (-item[1], names[item[0]]))
    return ThemeCounts(coded=coded, counts=[(names[code_id], count) for code_id, count in ranked])


def _filtered_theme_counts(frames: list[CodeFrame], channel, area) -> dict[int, ThemeCounts]:
    """The frames' code counts over the texts of matching responses: one GROUP BY for the
    codes and one for the texts coded, over the coded texts (which grow with the coding staff
    do, not with the responses)."""
    if not frames:
        return {}
    conditions = [
        CodedText.frame_id.in_([frame.id for frame in frames]),
        CodedText.coding_pass == CodingPass.FIRST,
        CodedText.coder_id.is_not(None),
    ]
    if channel:
        conditions.append(Response.channel == channel)
    if area:
        conditions.append(Response.area == area)

    def matching(*columns):
        return (
            select(*columns)
            .join(Answer, Answer.id == CodedText.answer_id)
            .join(Response, Response.id == Answer.response_id)
            .where(*conditions)
        )

    coded = dict(
        db.session.execute(matching(CodedText.frame_id, func.count()).group_by(CodedText.frame_id))
        .tuples()
        .all()
    )
    by_code = {
        (frame_id, code_id): count
        for frame_id, code_id, count in db.session.execute(
            matching(CodedText.frame_id, Coding.code_id, func.count())
            .join(Coding, Coding.coded_text_id == CodedText.id)
            .group_by(CodedText.frame_id, Coding.code_id)
        )
    }
    return {
        cast(int, frame.question_id): _ranked(
            frame,
            coded.get(frame.id, 0),
            {code: n for (frame_id, code), n in by_code.items() if frame_id == frame.id},
        )
        for frame in frames
    }
