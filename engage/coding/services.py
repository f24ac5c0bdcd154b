"""Building a code frame from suggested themes, coding texts with it, and measuring agreement.

Services flush but do not commit; the view, command or job commits.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.analysis.agreement import Disagreement, Kappa, disagreements, kappa_per_code
from engage.analysis.agreement import pooled_kappa as pooled
from engage.auth.models import StaffUser
from engage.coding.models import (
    CODE_NAME_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    Code,
    CodedText,
    CodeEvent,
    CodeEventKind,
    CodeFrame,
    CodeStatus,
    Coding,
    CodingPass,
    CodingSource,
)
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.social.models import Campaign, SocialPost
from engage.surveys.models import Answer, Question, QuestionKind


def frame_for_question(question: Question) -> CodeFrame:
    """Return the free-text question's code frame, creating it the first time."""
    if question.kind != QuestionKind.FREE_TEXT:
        raise DomainError("Only free-text questions have codes.")
    return _frame(CodeFrame.question_id, question.id)


def existing_question_frame(question_id: int) -> CodeFrame | None:
    """The question's code frame if staff have started one; never creates it (for reports)."""
    return db.session.scalar(select(CodeFrame).where(CodeFrame.question_id == question_id))


def frame_for_campaign(campaign: Campaign) -> CodeFrame:
    """Return the campaign's code frame, creating it the first time."""
    return _frame(CodeFrame.campaign_id, campaign.id)


def _frame(column, owner_id: int) -> CodeFrame:
    existing = db.session.scalar(select(CodeFrame).where(column == owner_id))
    if existing is not None:
        return existing
    frame = CodeFrame(**{column.key: owner_id})
    try:
        with db.session.begin_nested():
            db.session.add(frame)
            db.session.flush()
    except IntegrityError:
        # Someone else created it at the same moment: theirs is the frame.
        return db.session.scalars(select(CodeFrame).where(column == owner_id)).one()
    return frame


def accept_theme(
    frame: CodeFrame, name: str, staff: StaffUser, description: str = "", terms: str = ""
) -> Code:
    """Add a suggested theme (or any new code) to the frame under the name staff gave it."""
    name = _clean_name(name)
    _check_name_free(frame, name)
    code = Code(
        name=name,
        name_key=_key(name),
        description=_clean_description(description),
        status=CodeStatus.ACTIVE,
    )
    _flush_name(name, lambda: frame.codes.append(code))
    _record(code, CodeEventKind.ACCEPTED, staff, new_name=name, note=terms)
    return code


def reject_theme(frame: CodeFrame, label: str, staff: StaffUser, terms: str = "") -> Code:
    """Record that staff turned a suggested theme down, so the history shows it was considered."""
    label = _clean_name(label)
    code = Code(name=label, name_key=_key(label), status=CodeStatus.REJECTED)
    frame.codes.append(code)
    _record(code, CodeEventKind.REJECTED, staff, new_name=label, note=terms)
    return code


def rename_code(code: Code, name: str, staff: StaffUser) -> None:
    """Rename an active code; the old name stays in its history."""
    _check_active(code)
    name = _clean_name(name)
    if name == code.name:
        raise DomainError(f"The code is already called “{name}”.", field="name")
    if _key(name) != code.name_key:
        _check_name_free(code.frame, name)
    old = code.name

    def rename() -> None:
        code.name, code.name_key = name, _key(name)

    _flush_name(name, rename)
    _record(code, CodeEventKind.RENAMED, staff, old_name=old, new_name=name)


def describe_code(code: Code, description: str, staff: StaffUser) -> None:
    """Change what an active code is for, as coders read it."""
    _check_active(code)
    code.description = _clean_description(description)
    _record(code, CodeEventKind.DESCRIBED, staff, note=code.description[:NOTE_MAX])


def merge_codes(sources: Collection[Code], target: Code, staff: StaffUser) -> int:
    """Merge codes into `target`: their codings move to it, they keep their names and history.

    Returns the number of codings moved; a text that had both keeps one coding of `target`.
    """
    _check_active(target)
    if not sources:
        raise DomainError("Choose the codes to merge.")
    if target in sources:
        raise DomainError(f"“{target.name}” cannot be merged into itself.")
    for source in sources:
        _check_active(source)
        if source.frame_id != target.frame_id:
            raise DomainError(f"“{source.name}” belongs to another question or campaign.")
    moved = 0
    coded_with_target = set(
        db.session.scalars(select(Coding.coded_text_id).where(Coding.code_id == target.id))
    )
    for source in sources:
        for coding in db.session.scalars(select(Coding).where(Coding.code_id == source.id)):
            if coding.coded_text_id in coded_with_target:
                db.session.delete(coding)
            else:
                coding.code_id = target.id
                coded_with_target.add(coding.coded_text_id)
                moved += 1
        db.session.flush()
        source.status = CodeStatus.MERGED
        source.merged_into = target
        _record(source, CodeEventKind.MERGED_INTO, staff, other_code=target)
        _record(target, CodeEventKind.ABSORBED, staff, other_code=source, old_name=source.name)
    return moved


def assign_codes(
    frame: CodeFrame,
    staff: StaffUser,
    code_ids: Iterable[int],
    *,
    answer_id: int | None = None,
    post_id: int | None = None,
    second: bool = False,
) -> CodedText:
    """Save the codes a person applies to one answer or post: exactly these, none (no code
    applies) included. `second`: the independent second coding of a double-coded text."""
    _check_text(frame, answer_id, post_id)
    wanted = set(code_ids)
    codes = _active_codes(frame, wanted)
    coding_pass = CodingPass.SECOND if second else CodingPass.FIRST
    other_pass = CodingPass.FIRST if second else CodingPass.SECOND
    other = db.session.scalar(_coded_text_query(frame, answer_id, post_id, other_pass))
    if other is not None and staff.id in {
        other.coder_id,
        *(coding.assigned_by_id for coding in other.codings),
    }:
        raise DomainError(
            "The second coding must be by someone other than the first coder, so it is "
            "independent.",
            status=409,
        )
    now = utcnow()
    coded = _coded_text(frame, answer_id, post_id, coding_pass, coder_id=staff.id, coded_at=now)
    held = {coding.code_id: coding for coding in coded.codings}
    for code_id, coding in held.items():
        if code_id not in wanted:
            coded.codings.remove(coding)
        elif coding.source == CodingSource.MACHINE:
            # The person takes the machine's suggestion over; its confidence stays on record.
            coding.source, coding.assigned_by_id, coding.created_at = (
                CodingSource.HUMAN,
                staff.id,
                now,
            )
    for code in codes:
        if code.id not in held:
            coded.codings.append(
                Coding(code_id=code.id, source=CodingSource.HUMAN, assigned_by_id=staff.id)
            )
    coded.coder_id, coded.coded_at = staff.id, now
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(
            "Someone else saved codes for this text at the same moment. Reload it and try again.",
            status=409,
        ) from error
    return coded


def store_machine_codes(
    frame: CodeFrame,
    confidences: dict[int, float],
    *,
    answer_id: int | None = None,
    post_id: int | None = None,
) -> CodedText | None:
    """Store the machine's suggested codes (code id: confidence) for a text no person coded.

    A text a person has coded keeps their codes: returns None and stores nothing.
    """
    _check_text(frame, answer_id, post_id)
    codes = _active_codes(frame, set(confidences))
    if any(not 0 <= confidence <= 1 for confidence in confidences.values()):
        raise ValueError("Confidences are probabilities, between 0 and 1.")
    coded = _coded_text(frame, answer_id, post_id, CodingPass.FIRST)
    if coded.coder_id is not None:
        return None
    coded.codings.clear()
    db.session.flush()
    for code in codes:
        coded.codings.append(
            Coding(code_id=code.id, source=CodingSource.MACHINE, confidence=confidences[code.id])
        )
    db.session.flush()
    return coded


@dataclass(frozen=True)
class CodingProgress:
    """How much of a frame's texts people have coded, and how often each code is applied."""

    texts: int
    coded: int  # by a person, in the first pass
    double_coded: int  # by a second coder too, for the agreement sample
    suggested_only: int  # only the machine has suggested codes
    # Code id: texts a person coded with it, first pass. Active codes only, zeros included.
    by_code: dict[int, int]


def coding_progress(frame: CodeFrame) -> CodingProgress:
    """Count texts, texts coded, double-coded, and texts per code, in SQL."""
    first = (CodedText.frame_id == frame.id) & (CodedText.coding_pass == CodingPass.FIRST)
    by_pass = dict(
        db.session.execute(
            select(CodedText.coding_pass, func.count())
            .where(CodedText.frame_id == frame.id, CodedText.coder_id.is_not(None))
            .group_by(CodedText.coding_pass)
        )
        .tuples()
        .all()
    )
    by_code = dict(
        db.session.execute(
            select(Coding.code_id, func.count())
            .join(CodedText, Coding.coded_text_id == CodedText.id)
            .where(first, CodedText.coder_id.is_not(None))
            .group_by(Coding.code_id)
        )
        .tuples()
        .all()
    )
    return CodingProgress(
        texts=_text_count(frame),
        coded=by_pass.get(CodingPass.FIRST, 0),
        double_coded=by_pass.get(CodingPass.SECOND, 0),
        suggested_only=db.session.execute(
            select(func.count()).select_from(CodedText).where(first, CodedText.coder_id.is_(None))
        ).scalar_one(),
        by_code={
            code.id: by_code.get(code.id, 0)
            for code in frame.codes
            if code.status == CodeStatus.ACTIVE
        },
    )


@dataclass(frozen=True)
class FrameAgreement:
    """Agreement between the first and second coders on the texts both coded."""

    per_code: dict[int, Kappa]
    overall: Kappa
    # text_index in each Disagreement indexes `texts`: (answer id, post id) pairs.
    disagreements: list[Disagreement]
    texts: list[tuple[int | None, int | None]]


def kappa_for_frame(frame: CodeFrame) -> FrameAgreement:
    """Cohen's kappa per active code and pooled, over texts coded in both passes by people."""
    rows = db.session.execute(
        select(CodedText.answer_id, CodedText.post_id, CodedText.coding_pass, Coding.code_id)
        .outerjoin(Coding, Coding.coded_text_id == CodedText.id)
        .where(CodedText.frame_id == frame.id, CodedText.coder_id.is_not(None))
    ).all()
    applied: dict[tuple, dict[CodingPass, set[int]]] = {}
    for answer_id, post_id, coding_pass, code_id in rows:
        passes = applied.setdefault((answer_id, post_id), {})
        passes.setdefault(coding_pass, set())
        if code_id is not None:
            passes[coding_pass].add(code_id)
    texts = sorted(key for key, passes in applied.items() if len(passes) == 2)
    first = [applied[key][CodingPass.FIRST] for key in texts]
    second = [applied[key][CodingPass.SECOND] for key in texts]
    codes = [code.id for code in frame.codes if code.status == CodeStatus.ACTIVE]
    if not codes:
        raise DomainError("The frame has no codes yet to compare.")
    return FrameAgreement(
        per_code=kappa_per_code(first, second, codes),
        overall=pooled(first, second, codes),
        disagreements=disagreements(first, second, codes),
        texts=texts,
    )


def _text_count(frame: CodeFrame) -> int:
    if frame.question_id is not None:
        query = select(func.count()).where(
            Answer.question_id == frame.question_id, Answer.text.is_not(None), Answer.text != ""
        )
    else:
        query = select(func.count()).where(
            SocialPost.campaign_id == frame.campaign_id, SocialPost.hidden.is_(False)
        )
    return db.session.execute(query).scalar_one()


def _coded_text_query(frame, answer_id, post_id, coding_pass):
    return select(CodedText).where(
        CodedText.frame_id == frame.id,
        CodedText.coding_pass == coding_pass,
        CodedText.answer_id == answer_id if answer_id is not None else CodedText.post_id == post_id,
    )


def _coded_text(frame, answer_id, post_id, coding_pass, **coder) -> CodedText:
    """Return the text's row for this pass, created (with `coder`) if need be; unique, even
    when two people race to create it."""
    query = _coded_text_query(frame, answer_id, post_id, coding_pass)
    existing = db.session.scalar(query)
    if existing is not None:
        return existing
    coded = CodedText(
        frame_id=frame.id, answer_id=answer_id, post_id=post_id, coding_pass=coding_pass, **coder
    )
    try:
        with db.session.begin_nested():
            db.session.add(coded)
            db.session.flush()
    except IntegrityError:
        return db.session.scalars(query).one()
    return coded


def _check_text(frame: CodeFrame, answer_id: int | None, post_id: int | None) -> None:
    if (answer_id is None) == (post_id is None):
        raise ValueError("Give an answer or a post, not both.")
    if answer_id is not None:
        answer = db.session.get(Answer, answer_id)
        if answer is None or answer.question_id != frame.question_id or not answer.text:
            raise DomainError("That answer is not a written answer to this question.", status=404)
    else:
        post = db.session.get(SocialPost, post_id)
        if post is None or post.campaign_id != frame.campaign_id:
            raise DomainError("That post is not in this campaign.", status=404)


def _active_codes(frame: CodeFrame, code_ids: set[int]) -> list[Code]:
    codes = {code.id: code for code in frame.codes}
    for code_id in sorted(code_ids):
        code = codes.get(code_id)
        if code is None:
            raise DomainError("That code is not in this frame.")
        _check_active(code)
    return [codes[code_id] for code_id in sorted(code_ids)]


def _check_active(code: Code) -> None:
    if code.status == CodeStatus.MERGED:
        target = cast(Code, code.merged_into)  # a merged code names the code it went into
        raise DomainError(
            f"“{code.name}” was merged into “{target.name}”; use that code.", status=409
        )
    if code.status == CodeStatus.REJECTED:
        raise DomainError(f"“{code.name}” was rejected as a theme.", status=409)


def _clean_name(name: str | None) -> str:
    return _within(" ".join((name or "").split()), CODE_NAME_MAX, "name", required=True)


def _clean_description(description: str | None) -> str:
    return _within((description or "").strip(), DESCRIPTION_MAX, "description")


def _within(value: str, limit: int, field: str, required: bool = False) -> str:
    if required and not value:
        raise DomainError(f"Enter a {field} for the code.", field=field)
    if len(value) > limit:
        raise DomainError(
            f"The {field} must be {limit:,} characters or fewer (it is {len(value):,}).",
            field=field,
        )
    return value


def _key(name: str) -> str:
    return name.casefold()[:CODE_NAME_MAX]


def _check_name_free(frame: CodeFrame, name: str) -> None:
    taken = db.session.scalar(
        select(Code.name).where(
            Code.frame_id == frame.id,
            Code.name_key == _key(name),
            Code.status == CodeStatus.ACTIVE,
        )
    )
    if taken is not None:
        raise DomainError(f"There is already a code called “{taken}”.", field="name")


def _flush_name(name: str, change) -> None:
    """Make `change` and flush it; the database refuses a name taken a moment ago."""
    try:
        with db.session.begin_nested():
            change()
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(
            f"There is already a code called “{name}”.", field="name", status=409
        ) from error


def _record(code: Code, kind: CodeEventKind, staff: StaffUser, **details) -> None:
    details["note"] = (details.get("note") or "")[:NOTE_MAX]
    code.events.append(CodeEvent(kind=kind, staff_id=staff.id, **details))
    db.session.flush()
