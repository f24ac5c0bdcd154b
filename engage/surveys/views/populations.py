"""Admin pages: the population of each area, that results are compared and re-weighted with."""

from flask import flash, redirect, render_template, url_for

from engage.auth.decorators import roles_required
from engage.auth.models import Role
from engage.surveys import staff_bp
from engage.surveys.forms import PopulationForm
from engage.surveys.services import representation
from engage.web.form_saving import save_form


@staff_bp.get("/populations")
@roles_required(Role.ADMIN)
def population_list():
    return render_template(
        "surveys/staff/population_list.html",
        areas=representation.list_populations(),
        age_labels=representation.SURVEY_AGE_BAND_LABELS,
    )


@staff_bp.route("/populations/<area_slug>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_population(area_slug: str):
    area = representation.get_area(area_slug)
    current = next(row for row in representation.list_populations() if row.area == area)
    form = PopulationForm(
        data={
            "population": current.population,
            "source": current.source,
            **{f"age_{band}": people for band, people in current.age_bands.items()},
        }
    )
    if save_form(
        form,
        lambda: representation.set_population(
            area.slug, form.population.data, form.age_bands(), form.source.data or ""
        ),
    ):
        flash(f"Saved the population of {area.name}.", "success")
        return redirect(url_for("surveys_staff.population_list"), code=303)
    return (
        render_template("surveys/staff/population_form.html", form=form, area=area),
        422 if form.errors else 200,
    )
