"""Staff pages for a question's or a campaign's code frame: who may see them, and where."""

from dataclasses import dataclass

from flask import abort, url_for
from flask_login import current_user

from engage.auth.models import Role
from engage.coding.models import CodeFrame
from engage.coding.services import frame_for_campaign, frame_for_question
from engage.core.extensions import db, login_manager
from engage.social.models import Campaign
from engage.surveys.models import Question, QuestionKind

EDITORS = {"question": (Role.CONSULTATION,), "campaign": (Role.COMMS,)}


@dataclass(frozen=True)
class Owner:
    """The question or campaign whose texts are coded, and what the signed-in person may do."""

    kind: str
    id: int
    title: str
    caption: str
    back_url: str
    back_label: str
    frame: CodeFrame
    can_edit: bool


def owner_or_404(kind: str, owner_id: int, edit: bool = False) -> Owner:
    """The frame's owner; sign-in for the anonymous, 403 for roles that may not see (or edit)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    editors = EDITORS[kind]
    if not getattr(current_user, "is_staff", False) or not current_user.has_role(
        *editors, Role.PCC
    ):
        abort(403)
    can_edit = current_user.has_role(*editors)
    if edit and not can_edit:
        abort(403)
    if kind == "question":
        question = db.get_or_404(Question, owner_id)
        if question.kind != QuestionKind.FREE_TEXT:
            abort(404)
        return Owner(
            kind=kind,
            id=owner_id,
            title=question.prompt,
            caption=question.consultation.title,
            back_url=url_for(
                "surveys_staff.free_text",
                consultation_id=question.consultation_id,
                question_id=question.id,
            ),
            back_label="Back to the comments",
            frame=frame_for_question(question),
            can_edit=can_edit,
        )
    campaign = db.get_or_404(Campaign, owner_id)
    return Owner(
        kind=kind,
        id=owner_id,
        title=campaign.name,
        caption="Social media campaign",
        back_url=url_for("social_staff.campaign_dashboard", slug=campaign.slug),
        back_label="Back to the dashboard",
        frame=frame_for_campaign(campaign),
        can_edit=can_edit,
    )
