"""The reviewer's pages: their assignments, the conflict declaration, and scoring."""

from typing import cast

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from engage.activecitizens import staff_bp
from engage.activecitizens.forms import DeclarationForm, score_form_class
from engage.activecitizens.models import ConflictDeclaration, Recommendation, ReviewAssignment
from engage.activecitizens.services import reviews, rounds
from engage.activecitizens.views.access import acting
from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.web.form_saving import save_form

REVIEWERS = (Role.REVIEWER,)


def own_assignment_or_404(assignment_id: int) -> ReviewAssignment:
    assignment = reviews.assignment_of(current_user, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


@staff_bp.get("/reviews")
@roles_required(*REVIEWERS)
def my_reviews():
    page = request.args.get("page", 1, type=int)
    return render_template(
        "activecitizens/staff/my_reviews.html",
        assignments=reviews.assignments_of_reviewer(current_user, page),
        ConflictDeclaration=ConflictDeclaration,
    )


def _score_form(assignment: ReviewAssignment):
    form = score_form_class(assignment.application.funding_round.criteria)()
    if not form.is_submitted() and assignment.submitted_at:
        form.recommendation.data = cast(Recommendation, assignment.recommendation).value
        form.comment.data = assignment.comment
        for score in assignment.scores:
            form[f"criterion_{score.criterion_id}"].data = str(score.score)
    return form


def _review_page(assignment, declaration_form=None, score_form=None, status=200):
    visible = reviews.can_see_application(assignment)
    return render_template(
        "activecitizens/staff/review.html",
        assignment=assignment,
        application=assignment.application,
        visible=visible,
        declaration_form=declaration_form or DeclarationForm(),
        score_form=score_form or (_score_form(assignment) if visible else None),
        criteria=assignment.application.funding_round.criteria,
        area_name=rounds.area_name,
    ), status


@staff_bp.get("/reviews/<int:assignment_id>")
@roles_required(*REVIEWERS)
def review(assignment_id: int):
    return _review_page(own_assignment_or_404(assignment_id))


@staff_bp.post("/reviews/<int:assignment_id>/declaration")
@roles_required(*REVIEWERS)
def declare(assignment_id: int):
    assignment = own_assignment_or_404(assignment_id)
    form = DeclarationForm()
    saved = save_form(
        form,
        lambda: reviews.declare_interest(
            assignment, form.has_conflict.data == "yes", form.reason.data or "", acting()
        ),
    )
    if saved:
        message = (
            "You are recused from this application. Thank you for declaring it."
            if assignment.is_recused
            else "Thank you. You can now read and score the application."
        )
        flash(message, "success")
        return redirect(url_for(".review", assignment_id=assignment.id), code=303)
    return _review_page(assignment, declaration_form=form, status=422)


@staff_bp.post("/reviews/<int:assignment_id>/scores")
@roles_required(*REVIEWERS)
def score(assignment_id: int):
    assignment = own_assignment_or_404(assignment_id)
    reviews.check_may_score(assignment)  # before the form, which would name the criteria
    form = _score_form(assignment)
    criteria = assignment.application.funding_round.criteria
    saved = save_form(
        form,
        lambda: reviews.submit_review(
            assignment,
            {c.id: int(form[f"criterion_{c.id}"].data) for c in criteria},
            Recommendation(form.recommendation.data),
            form.comment.data or "",
            acting(),
        ),
    )
    if saved:
        flash("Your scores are saved.", "success")
        return redirect(url_for(".my_reviews"), code=303)
    return _review_page(assignment, score_form=form, status=422)
