"""Public pages: about the fund, its open rounds, and the projects it has funded."""

from flask import render_template, request

from engage.activecitizens import bp
from engage.activecitizens.services import publication, rounds
from engage.activecitizens.services.rounds import AREA_CODES, area_name
from engage.activecitizens.views.access import today
from engage.outcomes.services import commitments_for_grants


@bp.get("/")
def fund_home():
    count, total = publication.published_totals()
    return render_template(
        "activecitizens/public/fund_home.html",
        open_rounds=rounds.open_rounds(today()),
        funded_count=count,
        funded_total=total,
    )


@bp.get("/funded-projects")
def funded_projects():
    area = publication.require_area(request.args.get("area"), AREA_CODES)
    round_slug = request.args.get("round") or None
    page = request.args.get("page", 1, type=int)
    projects = publication.funded_projects(round_slug, area, page)
    return render_template(
        "activecitizens/public/funded_projects.html",
        projects=projects,
        serves=commitments_for_grants([project.id for project in projects.items]),
        area=area,
        round_slug=round_slug,
        areas=[(code, area_name(code)) for code in AREA_CODES],
        rounds=publication.published_rounds(),
    )
