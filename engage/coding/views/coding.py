"""Coding texts one at a time, double-coding a sample, agreement, and training suggestions."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from engage.analysis.code_suggester import MIN_EXAMPLES
from engage.coding import jobs, services, staff_bp
from engage.coding.forms import ButtonForm, CodingForm, SampleForm
from engage.coding.models import CodeStatus, CodingPass
from engage.coding.texts import (
    FrameText,
    applied_codes,
    default_sample_size,
    next_to_code,
    second_coded_keys,
    second_coding_sample,
    text_by_key,
    texts_of,
)
from engage.coding.views import Owner, owner_or_404
from engage.coding.views.frame import PREFIX
from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.web.form_saving import field_error

BLIND_KEY = "coding_blind"
DISAGREEMENTS_SHOWN = 200


def _sample(owner: Owner, form: SampleForm) -> list[FrameText] | None:
    """The signed-in second coder's sample, or None for first-pass coding."""
    if not request.args.get("second"):
        return None
    if form.size.data is None and "size" not in request.args:
        form.size.data = default_sample_size(owner.frame)
    elif not form.validate():
        return []
    return second_coding_sample(owner.frame, current_user, form.size.data)


@staff_bp.route(PREFIX + "/code", methods=["GET", "POST"])
def code_texts(kind: str, owner_id: int):
    owner = owner_or_404(kind, owner_id, edit=request.method == "POST")
    sample_form = SampleForm(request.args)
    sample = _sample(owner, sample_form)
    second = sample is not None
    done = second_coded_keys(owner.frame, sample) if sample else set()
    form = CodingForm()
    status = 200
    text: FrameText | None
    if request.method == "POST" and form.validate_on_submit():
        text = text_by_key(owner.frame, form.text.data)
        try:
            services.assign_codes(
                owner.frame, current_user, form.codes.data, second=second, **text.ids
            )
        except DomainError as error:
            db.session.rollback()
            field_error(form, error)
            status = error.status
        else:
            db.session.commit()
            flash("Codes saved.", "success")
            # On to the next text, in the same pass and sample.
            kept = {k: v for k, v in request.args.items() if k in ("second", "size")}
            # A routed request has its endpoint and view args; mypy also matches `**kept` against
            # url_for's typed keywords (_external...), which `kept` never holds.
            return redirect(url_for(request.endpoint, **request.view_args, **kept))  # type: ignore[arg-type]
    elif request.method == "POST":
        status = 422
    text = _text_to_show(owner, form, sample, done)
    applied = applied_codes(owner.frame, text, _pass(second)) if text else {}
    blind = session.get(BLIND_KEY, False)
    if request.method == "GET" and text:
        form.text.data = text.key
        form.codes.data = [code_id for code_id, coding in applied.items() if coding.by or not blind]
    return render_template(
        "coding/code_texts.html",
        owner=owner,
        form=form,
        text=text,
        applied=applied,
        codes=[code for code in owner.frame.codes if code.status == CodeStatus.ACTIVE],
        progress=services.coding_progress(owner.frame),
        blind=blind,
        second=second,
        sample=sample,
        sample_form=sample_form,
        done=done,
        button_form=ButtonForm(),
    ), status


def _pass(second: bool) -> CodingPass:
    return CodingPass.SECOND if second else CodingPass.FIRST


def _text_to_show(owner, form, sample, done) -> FrameText | None:
    """The text asked for, the one that failed to save, or the next to code."""
    key = form.text.data if request.method == "POST" else request.args.get("text")
    if key:
        return text_by_key(owner.frame, key)
    if sample is not None:
        return next((text for text in sample if text.key not in done), None)
    after = request.args.get("after")
    return next_to_code(owner.frame, after=text_by_key(owner.frame, after) if after else None)


@staff_bp.post(PREFIX + "/blind")
def toggle_blind(kind: str, owner_id: int):
    owner = owner_or_404(kind, owner_id)
    if ButtonForm().validate_on_submit():
        session[BLIND_KEY] = not session.get(BLIND_KEY, False)
        flash(
            "Machine suggestions are hidden."
            if session[BLIND_KEY]
            else "Machine suggestions are shown.",
            "success",
        )
    return redirect(_coding_url(owner, request.form.get("text") or None))


def _coding_url(owner: Owner, text_key: str | None = None) -> str:
    return url_for("coding_staff.code_texts", kind=owner.kind, owner_id=owner.id, text=text_key)


@staff_bp.post(PREFIX + "/train")
def train(kind: str, owner_id: int):
    """Start training suggestions in the background; its page shows progress, then the report."""
    owner = owner_or_404(kind, owner_id, edit=True)
    if not ButtonForm().validate_on_submit():
        raise DomainError("Your form has expired. Reload the page and try again.", status=400)
    jobs.start_training(owner.frame)
    return redirect(url_for("coding_staff.training", kind=kind, owner_id=owner_id), code=303)


@staff_bp.get(PREFIX + "/training")
def training(kind: str, owner_id: int):
    """The last training's report, kept on the frame, and the progress of one under way."""
    owner = owner_or_404(kind, owner_id)
    return render_template(
        "coding/training.html",
        owner=owner,
        job=jobs.training_job(owner.frame),
        report=owner.frame.training_report,
        codes={code.id: code for code in owner.frame.codes},
        min_examples=MIN_EXAMPLES,
        button_form=ButtonForm(),
        now=utcnow(),
    )


@staff_bp.get(PREFIX + "/agreement")
def agreement(kind: str, owner_id: int):
    owner = owner_or_404(kind, owner_id)
    codes = {code.id: code for code in owner.frame.codes}
    reason: str | None
    try:
        result = services.kappa_for_frame(owner.frame)
    except DomainError as error:
        result, reason = None, error.message
    else:
        reason = None
    shown = result.disagreements[:DISAGREEMENTS_SHOWN] if result else []
    pairs = [result.texts[item.text_index] for item in shown] if result else []
    words = texts_of(owner.frame, pairs)
    texts = {
        item.text_index: FrameText(*pair, words.get(pair, ""))
        for item, pair in zip(shown, pairs, strict=True)
    }
    return render_template(
        "coding/agreement.html",
        owner=owner,
        result=result,
        reason=reason,
        codes=codes,
        shown=shown,
        texts=texts,
    )
