"""Staff pages: adding, changing, deleting and reordering a consultation's questions."""

from flask import flash, render_template, request

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys import staff_bp
from engage.surveys.forms import QuestionForm
from engage.surveys.models import FIXED_OPTIONS, Consultation, Question, QuestionKind
from engage.surveys.services import builder
from engage.surveys.services.builder import QuestionDetails
from engage.surveys.views.builder import render_overview, to_overview
from engage.web.form_saving import save_form


def _details(form: QuestionForm) -> QuestionDetails:
    return QuestionDetails(
        kind=QuestionKind(form.kind.data),
        prompt=form.prompt.data.strip(),
        help_text=(form.help_text.data or "").strip(),
        required=bool(form.required.data),
        max_length=form.max_length.data,
        options=(form.options.data or "").splitlines(),
        exclusive_option=(form.exclusive_option.data or "").strip(),
    )


def _render(form, consultation, question=None):
    return (
        render_template(
            "surveys/staff/question_form.html",
            form=form,
            consultation=consultation,
            question=question,
            fixed_options=FIXED_OPTIONS,
            answered=question is not None and builder.question_has_answers(question),
        ),
        422 if form.errors else 200,
    )


@staff_bp.route("/<int:consultation_id>/questions/new", methods=["GET", "POST"])
@roles_required(Role.CONSULTATION)
def new_question(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = QuestionForm()
    if save_form(form, lambda: builder.add_question(consultation, _details(form))):
        flash("Question added.", "success")
        return to_overview(consultation)
    return _render(form, consultation)


@staff_bp.route("/<int:consultation_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@roles_required(Role.CONSULTATION)
def edit_question(consultation_id: int, question_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    question = builder.get_question(consultation, question_id)
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.kind.data = question.kind.value
        form.options.data = "\n".join(o.label for o in question.options if not _fixed(question))
        form.exclusive_option.data = next(iter(question.exclusive_labels.values()), "")
        form.max_length.data = (
            question.max_length if question.kind == QuestionKind.FREE_TEXT else None
        )
    if save_form(form, lambda: builder.update_question(question, _details(form))):
        flash("Question saved.", "success")
        return to_overview(consultation)
    return _render(form, consultation, question)


def _fixed(question: Question) -> bool:
    return question.kind in FIXED_OPTIONS


def _question_action(consultation_id: int, question_id: int, action) -> object:
    consultation = db.get_or_404(Consultation, consultation_id)
    question = builder.get_question(consultation, question_id)
    try:
        message = action(question)
    except DomainError as error:
        db.session.rollback()
        return render_overview(consultation, error)
    db.session.commit()
    if message:
        flash(message, "success")
    return to_overview(consultation)


@staff_bp.post("/<int:consultation_id>/questions/<int:question_id>/delete")
@roles_required(Role.CONSULTATION)
def delete_question(consultation_id: int, question_id: int):
    def delete(question: Question) -> str:
        builder.delete_question(question)
        return "Question deleted."

    return _question_action(consultation_id, question_id, delete)


@staff_bp.post("/<int:consultation_id>/questions/<int:question_id>/move")
@roles_required(Role.CONSULTATION)
def move_question(consultation_id: int, question_id: int):
    direction = request.form.get("direction", "")
    return _question_action(
        consultation_id, question_id, lambda question: builder.move_question(question, direction)
    )
