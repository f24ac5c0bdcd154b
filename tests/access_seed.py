"""A small database with one of everything a route can name, and the people who use it.

Used by the route-by-role test: every id a URL needs is a real row, so a 404 means "not yours"
(or "no such thing") rather than a missing fixture.
"""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from engage.activecitizens.models import ApplicationDocument, DocumentKind
from engage.activecitizens.services import reviews
from engage.activecitizens.services.documents import storage_dir
from engage.auth.models import Role
from engage.coding import services as coding
from engage.core.extensions import db
from engage.jobs.models import BackgroundJob, JobStatus
from engage.outcomes import services as outcomes
from engage.social.models import Platform, SocialPost
from engage.surveys import export_jobs
from engage.surveys.models import Answer, Consultation, QuestionKind
from engage.surveys.services import sections
from tests.grants import S, application_in_state, make_group, make_round, staff_actor

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Who walks the routes: anonymous, each staff role, a recused reviewer and two groups.
STAFF_ROLES = {
    "admin": Role.ADMIN,
    "consultation": Role.CONSULTATION,
    "comms": Role.COMMS,
    "reviewer": Role.REVIEWER,
    "pcc": Role.PCC,
    "recused": Role.REVIEWER,
}
GROUPS = {"group": "group@example.org", "group2": "other-group@example.org"}
USERS = ("anonymous", *STAFF_ROLES, *GROUPS)


@dataclass
class Seeded:
    """The emails to sign in with and the ids each blueprint's URLs are built from."""

    emails: dict[str, str] = field(default_factory=dict)
    args: dict[str, dict] = field(default_factory=dict)


def seed(make_consultation, make_event, make_response, make_campaign) -> Seeded:
    """Create the rows; call inside an app context."""
    campaign_id = make_campaign()  # the factories commit in their own app context: first
    consultation_id = make_consultation(slug="route-walk")
    event_id = make_event(consultation_id)
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Street lights are out"})
    seeded = Seeded()
    actors = {name: staff_actor(role, f"{name}@example.org") for name, role in STAFF_ROLES.items()}
    seeded.emails = {name: actor.staff.email for name, actor in actors.items()} | GROUPS
    consultation = db.session.get(Consultation, consultation_id)
    question = next(q for q in consultation.questions if q.kind == QuestionKind.FREE_TEXT)
    answer_id = db.session.scalar(select(Answer.id).where(Answer.question_id == question.id))
    section = sections.add_section(consultation, "Your area")

    group = make_group(GROUPS["group"])
    make_group(GROUPS["group2"], name="Foleshill Residents")
    funding_round = make_round()
    application = application_in_state(S.IN_REVIEW, group, funding_round)
    funded = application_in_state(S.APPROVED, group, funding_round, amount=100_000)
    good = reviews.assign_reviewer(application, actors["reviewer"].staff, actors["admin"])
    reviews.declare_interest(good, False, "", actors["reviewer"])
    recused = reviews.assign_reviewer(application, actors["recused"].staff, actors["admin"])
    reviews.declare_interest(recused, True, "My sister runs it", actors["recused"])
    document = _document(application)

    commitment = outcomes.add_commitment(
        consultation, outcomes.CommitmentDetails(title="Fix the lights", owner="Council"), None
    )
    outcomes.link_grant(commitment, funded.id)
    quote = outcomes.choose_quote(consultation, answer_id, "Street lights are out", True, None)

    post = SocialPost(
        campaign_id=campaign_id,
        platform=Platform.X,
        external_id="1",
        text="#WMP2020 more patrols please",
        created_at=datetime.now(UTC),
    )
    db.session.add(post)
    social_job = BackgroundJob(
        kind="social.import", job_key=f"import:{campaign_id}:x", status=JobStatus.DONE
    )
    db.session.add(social_job)
    code = coding.accept_theme(
        coding.frame_for_question(question), "Lighting", actors["admin"].staff
    )
    db.session.commit()

    seeded.args = {
        "surveys": {"slug": consultation.slug, "token": "not-a-signed-token", "number": 1},
        "surveys_staff": {
            "consultation_id": consultation_id,
            "question_id": question.id,
            "section_id": section.id,
            "answer_id": answer_id,
            "event_id": event_id,
            "kiosk_id": 1,
            "area_slug": "coventry",
        },
        "outcomes_staff": {
            "consultation_id": consultation_id,
            "commitment_id": commitment.id,
            "quote_id": quote.id,
            "application_id": funded.id,
        },
        "social_staff": {
            "slug": "wmp2020",
            "post_id": post.id,
            "flag": "needs_reply",
            "state": "on",
            "job_id": social_job.id,
        },
        "coding_staff": {
            "kind": "question",
            "owner_id": question.id,
            "code_id": code.id,
            "index": 1,
        },
        "grants_staff": {
            "slug": funding_round.slug,
            "application_id": application.id,
            "assignment_id": good.id,
            "step": "send_to_panel",
            "fmt": "csv",
        },
        "activecitizens": {
            "slug": funding_round.slug,
            "application_id": application.id,
            "document_id": document.id,
            "token": "not-a-signed-token",
        },
        "auth": {"user_id": actors["comms"].staff.id},
        "passwords": {"kind": "staff", "token": "not-a-signed-token"},
        "static": {"filename": "css/engage.css"},
    }
    # Last: run in-process, the export job commits and ends the session the rows above used.
    export_job = export_jobs.start_responses_export(db.session.get(Consultation, consultation_id))
    seeded.args["surveys_staff"]["job_id"] = export_job.id
    seeded.args["outcomes_staff"]["job_id"] = export_job.id
    db.session.commit()
    return seeded


def _document(application) -> ApplicationDocument:
    key = secrets.token_hex(16)
    (storage_dir() / key).write_bytes(PDF)
    document = ApplicationDocument(
        application=application,
        kind=DocumentKind.SUPPORTING,
        original_name="quote.pdf",
        storage_key=key,
        content_type="application/pdf",
        size_bytes=len(PDF),
    )
    db.session.add(document)
    db.session.flush()
    return document
