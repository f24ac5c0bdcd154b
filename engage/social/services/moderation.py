"""What staff do with posts: hide, flag, note, and give replies a position that counts.

Every action is written to `ModerationAction`, so who did what and when is always on record.
"""

from sqlalchemy import func, select

from engage.auth.models import StaffUser
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.social.models import (
    NOTE_MAX,
    POSITION_LABELS,
    Campaign,
    ModerationAction,
    Position,
    SocialPost,
)
from engage.social.services import post_tallies
from engage.social.services.dashboard_tallied import countable_daily_questions
from engage.surveys.models import Channel, Consultation, ConsultationStatus
from engage.surveys.services.responses import (
    AboutYou,
    CleanAnswer,
    submit_response,
    withdraw_response,
)

FLAGS = {"needs_reply": "Needs a reply", "possible_crime": "Possible crime report"}


def _record(post: SocialPost, staff: StaffUser, action: str, note: str = "") -> None:
    db.session.add(ModerationAction(post_id=post.id, staff_id=staff.id, action=action, note=note))
    db.session.flush()


def _clean_note(note: str | None, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise DomainError("Enter a note.", field="note")
    if len(note) > NOTE_MAX:
        raise DomainError(
            f"The note must be {NOTE_MAX:,} characters or fewer (it is {len(note):,}).",
            field="note",
        )
    return note


def hide_post(post: SocialPost, staff: StaffUser, reason: str) -> None:
    """Hide a post from every public view and export; it stays stored for audit.

    A hidden post's position no longer counts in the results, unless they are already published:
    published figures do not change behind the public's back.
    """
    reason = _clean_note(reason, required=True)
    if post.hidden:
        raise DomainError("This post is already hidden.", status=409)
    post.hidden = True
    if not _results_published(post):
        _withdraw_position(post)
    _record(post, staff, "hidden", reason)


def unhide_post(post: SocialPost, staff: StaffUser, reason: str) -> None:
    reason = _clean_note(reason, required=False)
    if not post.hidden:
        raise DomainError("This post is not hidden.", status=409)
    post.hidden = False
    _record(post, staff, "shown again", reason)


def set_flag(post: SocialPost, staff: StaffUser, flag: str, value: bool) -> None:
    if flag not in FLAGS:
        raise DomainError("Choose a flag from the list.", field="flag", status=400)
    if getattr(post, flag) == value:
        return
    setattr(post, flag, value)
    _record(post, staff, f"{'flagged' if value else 'cleared'}: {FLAGS[flag].lower()}")


def add_note(post: SocialPost, staff: StaffUser, note: str) -> None:
    _record(post, staff, "note", _clean_note(note, required=True))


def set_position(post: SocialPost, staff: StaffUser, position: str) -> None:
    """Confirm where a reply stands on its daily question, and count it in the results.

    Supports, opposes and mixed count as the option the daily question names for them, as one
    anonymous response on the 'social' channel; unclear is recorded but counts as no answer.
    """
    if position not in Position._value2member_map_:
        raise DomainError("Choose a position from the list.", field="position", status=400)
    position = Position(position)
    daily = post.daily_question
    if daily is None:
        raise DomainError(
            "This post does not reply to a daily question, so it has no question to answer.",
            status=409,
        )
    if post.hidden:
        raise DomainError("A hidden post cannot count in the results.", status=409)
    option_id = daily.option_for(position)
    if position != Position.UNCLEAR and option_id is None:
        raise DomainError(
            f"The daily question does not say which answer ‘{POSITION_LABELS[position]}’ counts "
            "as. Set that on the campaign's daily questions first.",
            field="position",
        )
    consultation = db.session.get_one(Consultation, daily.question.consultation_id)
    if consultation.status not in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED):
        raise DomainError(
            "Positions can only be set while the consultation is open or closed, not in draft "
            "or after its results are published.",
            status=409,
        )
    _withdraw_position(post)
    if option_id is not None and position != Position.UNCLEAR:
        stored = submit_response(
            consultation,
            [CleanAnswer(daily.question, option_ids=[option_id])],
            AboutYou(),
            channel=Channel.SOCIAL,
            entered_by=staff,
            is_demo=post.is_demo,
        )
        post.response_id = stored.id
    post.position = position
    post.position_set_by_id = staff.id
    _record(post, staff, f"position: {POSITION_LABELS[position].lower()}")


def _withdraw_position(post: SocialPost) -> None:
    if post.response_id is not None:
        withdraw_response(post.response_id)
        post.response_id = None
    post.position = None


def _results_published(post: SocialPost) -> bool:
    if post.daily_question is None:
        return False
    consultation = db.session.get_one(Consultation, post.daily_question.question.consultation_id)
    return consultation.status == ConsultationStatus.PUBLISHED


def unclassified_replies(consultation_id: int) -> int:
    """Visible replies that could count in the consultation's results but have no position yet.

    Replies to a daily question with no options for positions (a multiple-choice question, say)
    are read for themes only, so they are not waiting for anything. Summed from the day
    tallies the triggers and folds maintain (a row per day and group), never from the posts.
    """
    campaign_ids = list(
        db.session.scalars(select(Campaign.id).where(Campaign.consultation_id == consultation_id))
    )
    if not campaign_ids:
        return 0
    posts = post_tallies.live_posts_by_day(campaign_ids)
    rows = posts.c
    return int(
        db.session.execute(
            select(func.coalesce(func.sum(rows.posts), 0)).where(
                rows.hidden.is_(False),
                rows.position.is_(None),
                rows.daily_question_id.in_(countable_daily_questions()),
            )
        ).scalar_one()
    )
