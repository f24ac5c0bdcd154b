"""Staff pages for rounds: set-up, applications, ranking, overview and publication."""

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for

from engage.activecitizens import staff_bp
from engage.activecitizens.forms import BatchDecisionForm, RoundForm
from engage.activecitizens.models import ApplicationState, FundingRound
from engage.activecitizens.services import (
    applications,
    audit,
    audit_reading,
    decisions,
    overview,
    ranking,
    rounds,
    threesixtygiving,
)
from engage.activecitizens.services.rounds import AREA_CODES, CriterionDetails, RoundDetails
from engage.activecitizens.services.workflow import PUBLIC_NAMES
from engage.activecitizens.views.access import acting
from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.web.csv_writing import csv_lines
from engage.web.form_saving import save_form
from engage.web.forms import ActionForm

OFFICE = (Role.PCC,)


def round_or_404(slug: str) -> FundingRound:
    return db.first_or_404(db.select(FundingRound).where(FundingRound.slug == slug))


def _criteria(text: str) -> list[CriterionDetails]:
    criteria = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2 or not parts[0] or not parts[1].isdigit():
            raise DomainError(
                f"Line {number} of the criteria needs a name and a weight, like "
                "'Value for money | 2 | guidance'",
                "criteria",
            )
        criteria.append(CriterionDetails(parts[0][:120], int(parts[1]), "|".join(parts[2:])[:2000]))
    return criteria


def _details(form: RoundForm) -> RoundDetails:
    return RoundDetails(
        slug=(form.slug.data or "").strip().lower(),
        name=form.name.data.strip(),
        description=(form.description.data or "").strip(),
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        decisions_by=form.decisions_by.data,
        projects_start_from=form.projects_start_from.data,
        projects_end_by=form.projects_end_by.data,
        budget_pence=form.budget.data,
        min_grant_pence=form.min_grant.data,
        max_grant_pence=form.max_grant.data,
        allocations={code: form[f"allocation_{code}"].data or 0 for code in AREA_CODES},
        priorities=[
            line.strip()[:120] for line in form.priorities.data.splitlines() if line.strip()
        ],
        criteria=_criteria(form.criteria.data),
    )


def _round_form_page(form: RoundForm, funding_round: FundingRound | None):
    status = 422 if form.errors else 200
    return render_template(
        "activecitizens/staff/round_form.html",
        form=form,
        funding_round=funding_round,
        allocation_fields=[form[f"allocation_{code}"] for code in AREA_CODES],
    ), status


@staff_bp.get("/")
@roles_required(*OFFICE)
def round_list():
    return render_template("activecitizens/staff/round_list.html", rounds=rounds.list_rounds())


@staff_bp.route("/rounds/new", methods=["GET", "POST"])
@roles_required(*OFFICE)
def new_round():
    form = RoundForm()
    if saved := save_form(form, lambda: rounds.create_round(_details(form), acting())):
        flash("Round created.", "success")
        return redirect(url_for(".round_page", slug=saved.value.slug), code=303)
    return _round_form_page(form, None)


@staff_bp.route("/rounds/<slug>/edit", methods=["GET", "POST"])
@roles_required(*OFFICE)
def edit_round(slug: str):
    funding_round = round_or_404(slug)
    form = RoundForm(obj=funding_round)
    if not form.is_submitted():
        form.budget.data = funding_round.budget_pence
        form.min_grant.data = funding_round.min_grant_pence
        form.max_grant.data = funding_round.max_grant_pence
        for allocation in funding_round.allocations:
            form[f"allocation_{allocation.area_code}"].data = allocation.allocation_pence
        form.priorities.data = "\n".join(p.name for p in funding_round.priorities)
        form.criteria.data = "\n".join(
            f"{c.name} | {c.weight} | {c.guidance}" for c in funding_round.criteria
        )
    saved = save_form(form, lambda: rounds.update_round(funding_round, _details(form), acting()))
    if saved:
        flash("Round saved.", "success")
        return redirect(url_for(".round_page", slug=saved.value.slug), code=303)
    return _round_form_page(form, funding_round)


def _state_filter() -> ApplicationState | None:
    value = request.args.get("state") or None
    if value is None:
        return None
    try:
        return ApplicationState(value)
    except ValueError:
        abort(400, description="Unknown state")


def _round_page(funding_round: FundingRound, batch_form: BatchDecisionForm, status: int = 200):
    state = _state_filter()
    page = request.args.get("page", 1, type=int)
    return render_template(
        "activecitizens/staff/round.html",
        funding_round=funding_round,
        state=state,
        listing=applications.applications_in_round(funding_round, state, page),
        counts=applications.state_counts(funding_round),
        public_names=PUBLIC_NAMES,
        rankings=ranking.rank_by_area(funding_round),
        batch_form=batch_form,
        action_form=ActionForm(),
        area_names=rounds.AREA_NAMES_BY_CODE,
    ), status


@staff_bp.get("/rounds/<slug>")
@roles_required(*OFFICE)
def round_page(slug: str):
    return _round_page(round_or_404(slug), BatchDecisionForm())


@staff_bp.post("/rounds/<slug>/decisions")
@roles_required(*OFFICE)
def batch_decision(slug: str):
    funding_round = round_or_404(slug)
    form = BatchDecisionForm()
    waiting = decisions.awaiting_decision_ids(funding_round)
    form.application_ids.choices = [(i, str(i)) for i in waiting]

    def decide():
        return decisions.decide_batch(
            decisions.applications_by_ids(form.application_ids.data or []),
            decisions.BatchChoice(form.choice.data),
            acting(),
            form.reason.data or "",
        )

    if saved := save_form(form, decide):
        verb = "approved" if form.choice.data == "approve" else "declined"
        flash(f"{saved.value.decided} applications {verb}.", "success")
        return redirect(url_for(".round_page", slug=slug), code=303)
    if form.application_ids.errors:
        form.application_ids.errors = ["Tick applications that are waiting for a decision"]
    return _round_page(funding_round, form, status=422)


@staff_bp.get("/rounds/<slug>/overview")
@roles_required(*OFFICE)
def round_overview(slug: str):
    funding_round = round_or_404(slug)
    summary = overview.fund_overview(funding_round)
    return render_template(
        "activecitizens/staff/overview.html",
        funding_round=funding_round,
        overview=summary,
        charts={"fund-by-area": overview.overview_chart(summary)},
    )


@staff_bp.get("/rounds/<slug>/360giving.<any(json, csv):fmt>")
@roles_required(*OFFICE)
def export_360giving(slug: str, fmt: str):
    funding_round = round_or_404(slug)
    package = threesixtygiving.build_package(threesixtygiving.export_grants(funding_round))
    if fmt == "json":
        body, mimetype = json.dumps(package, indent=2, ensure_ascii=False), "application/json"
    else:
        body, mimetype = threesixtygiving.package_csv(package), "text/csv"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="360giving-{slug}.{fmt}"'},
    )


@staff_bp.get("/rounds/<slug>/audit")
@roles_required(*OFFICE)
def round_audit(slug: str):
    funding_round = round_or_404(slug)
    entries = audit.entries_for_round(funding_round.id, request.args.get("page", 1, type=int))
    return render_template(
        "activecitizens/staff/audit.html",
        funding_round=funding_round,
        entries=entries,
        readable_entries=audit_reading.readable(entries.items),
    )


@staff_bp.get("/rounds/<slug>/audit.csv")
@roles_required(*OFFICE)
def round_audit_csv(slug: str):
    funding_round = round_or_404(slug)
    entries = audit.entries_for_round(funding_round.id, 1, per_page=None)
    return Response(
        csv_lines(audit_reading.audit_rows(entries)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{slug}.csv"'},
    )
