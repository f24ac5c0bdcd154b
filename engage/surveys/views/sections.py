"""Staff pages: a consultation's sections (its pages) and the rules that show a question or a
section only to people who gave a certain earlier answer."""

from flask import flash, redirect, render_template, request, url_for

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys import staff_bp
from engage.surveys.models import Consultation, Question, QuestionKind
from engage.surveys.section_models import Section
from engage.surveys.services import builder, sections
from engage.surveys.services.sections import RuleDetails


def _to_sections(consultation: Consultation):
    return redirect(
        url_for("surveys_staff.sections_page", consultation_id=consultation.id), code=303
    )


def _render_sections(consultation: Consultation, error: DomainError | None = None, title=""):
    page = render_template(
        "surveys/staff/sections.html",
        consultation=consultation,
        error=error,
        title=title,
        questions=consultation.ordered_questions,
    )
    return page, (error.status if error else 200)


def _int(name: str) -> int | None:
    value = request.form.get(name, "").strip()
    return int(value) if value.isdigit() else None


@staff_bp.get("/<int:consultation_id>/sections")
@roles_required(Role.CONSULTATION)
def sections_page(consultation_id: int):
    return _render_sections(db.get_or_404(Consultation, consultation_id))


def _act(consultation: Consultation, action, message: str, title: str = ""):
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        if error.status == 404:
            raise
        return _render_sections(consultation, error, title)
    db.session.commit()
    flash(message, "success")
    return _to_sections(consultation)


@staff_bp.post("/<int:consultation_id>/sections")
@roles_required(Role.CONSULTATION)
def add_section(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    title = request.form.get("title", "")
    return _act(
        consultation, lambda: sections.add_section(consultation, title), "Section added.", title
    )


@staff_bp.post("/<int:consultation_id>/sections/<int:section_id>")
@roles_required(Role.CONSULTATION)
def change_section(consultation_id: int, section_id: int):
    """Rename, move up or down, or delete a section, as its button says."""
    consultation = db.get_or_404(Consultation, consultation_id)
    section = sections.get_section(consultation, section_id)
    action = request.form.get("action", "")
    if action == "rename":
        title = request.form.get("title", "")
        return _act(
            consultation, lambda: sections.rename_section(section, title), "Section renamed."
        )
    if action in ("up", "down"):
        return _act(
            consultation,
            lambda: sections.move_section(consultation, section, action),
            "Section moved.",
        )
    if action == "delete":
        return _act(
            consultation,
            lambda: sections.delete_section(consultation, section),
            "Section deleted. Its questions are now in no section.",
        )
    raise DomainError("Choose to rename, move or delete the section.", status=400)


@staff_bp.post("/<int:consultation_id>/questions/<int:question_id>/section")
@roles_required(Role.CONSULTATION)
def place_question(consultation_id: int, question_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    question = builder.get_question(consultation, question_id)
    raw = request.form.get("section", "").strip()
    if raw and not raw.isdigit():
        raise DomainError("Choose a section from the list.", status=400)
    section_id = int(raw) if raw else None
    return _act(
        consultation,
        lambda: sections.place_question(consultation, question, section_id),
        "Question placed.",
    )


def _earlier_questions(consultation: Consultation, target: Question | Section) -> list[Question]:
    """The questions a rule for `target` may use: earlier ones with answers to choose from."""
    ordered = consultation.ordered_questions
    if isinstance(target, Question):
        earlier = ordered[: ordered.index(target)]
    else:
        earlier = [
            q for q in ordered if q.section is None or (q.section.position < target.position)
        ]
    return [q for q in earlier if q.kind != QuestionKind.FREE_TEXT]


def _rule_page(consultation: Consultation, target: Question | Section):
    """Step 1: choose the earlier question; step 2 (?depends_on=ID): its answers; save."""
    rule = target.rule
    error: DomainError | None = None
    form = request.form if request.method == "POST" else request.args
    chosen_id = _int("depends_on") if request.method == "POST" else None
    if request.method == "GET":
        raw = request.args.get("depends_on", "")
        chosen_id = int(raw) if raw.isdigit() else (rule.depends_on_id if rule else None)
    if request.method == "POST":
        if form.get("action") == "remove":
            try:
                sections.clear_rule(consultation, target)
            except DomainError as refused:
                db.session.rollback()
                error = refused
            else:
                db.session.commit()
                flash("Rule removed: now asked of everyone.", "success")
                return _to_sections(consultation)
        else:
            details = RuleDetails(
                depends_on_id=chosen_id or 0,
                option_ids=[int(v) for v in form.getlist("options") if v.isdigit()],
                negate=form.get("negate") == "yes",
            )
            try:
                sections.set_rule(consultation, target, details)
            except DomainError as refused:
                db.session.rollback()
                error = refused
            else:
                db.session.commit()
                flash("Rule saved.", "success")
                return _to_sections(consultation)
    candidates = _earlier_questions(consultation, target)
    source = next((q for q in candidates if q.id == chosen_id), None)
    selected = (
        [str(v) for v in form.getlist("options")]
        if request.method == "POST"
        else [str(o.id) for o in rule.options]
        if rule and source and rule.depends_on_id == source.id
        else []
    )
    negate = (
        (form.get("negate") == "yes") if request.method == "POST" else bool(rule and rule.negate)
    )
    page = render_template(
        "surveys/staff/rule_form.html",
        consultation=consultation,
        target=target,
        is_section=isinstance(target, Section),
        rule=rule,
        candidates=candidates,
        candidate_items=[(q.id, q.prompt) for q in candidates],
        source=source,
        selected=selected,
        negate=negate,
        error=error,
    )
    if error is None:
        return page, 200
    return page, 422 if error.status in (400, 422) else error.status


@staff_bp.route("/<int:consultation_id>/questions/<int:question_id>/rule", methods=["GET", "POST"])
@roles_required(Role.CONSULTATION)
def question_rule(consultation_id: int, question_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return _rule_page(consultation, builder.get_question(consultation, question_id))


@staff_bp.route("/<int:consultation_id>/sections/<int:section_id>/rule", methods=["GET", "POST"])
@roles_required(Role.CONSULTATION)
def section_rule(consultation_id: int, section_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return _rule_page(consultation, sections.get_section(consultation, section_id))
