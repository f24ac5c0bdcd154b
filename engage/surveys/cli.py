"""Commands for consultation results: fold new responses into the running tallies, and prove
them equal to a full recount."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.surveys import jobs
from engage.surveys.models import Consultation, ConsultationStatus
from engage.surveys.services import contacts, tallies

results_cli = AppGroup("results", help="Check and rebuild consultation results.")
contacts_cli = AppGroup("contacts", help="Contact details kept for updates and prize draws.")


def _consultations(slug: str | None) -> list[Consultation]:
    query = select(Consultation).order_by(Consultation.id)
    if slug:
        query = query.where(Consultation.slug == slug)
    found = list(db.session.scalars(query))
    if slug and not found:
        raise click.ClickException(f"No consultation with the slug '{slug}'.")
    return found


@results_cli.command("verify")
@click.option("--consultation", "slug", help="Slug of one consultation (default: all).")
def verify(slug: str | None) -> None:
    """Recount every answer with GROUP BY and compare with the running tallies."""
    failures = 0
    for consultation in _consultations(slug):
        differences = tallies.compare_tallies(consultation.id)
        if differences:
            failures += 1
            click.echo(f"{consultation.slug}: {len(differences)} tallies differ")
            for line in differences[:20]:
                click.echo(f"  {line}")
        else:
            click.echo(f"{consultation.slug}: tallies equal a full recount")
    if failures:
        raise click.ClickException(
            f"{failures} consultation(s) differ; run 'flask --app engage results recount'."
        )


@results_cli.command("fold")
def fold() -> None:
    """Add every response stored since the last fold to the running tallies."""
    pending = tallies.count_pending()
    with click.progressbar(length=pending, label="Folding responses into the tallies") as bar:
        folded = jobs.fold_tallies(on_batch=bar.update)
    tallies.tidy_awaiting_list()
    click.echo(f"{folded} response(s) folded into the tallies.")


@results_cli.command("recount")
@click.option("--consultation", "slug", help="Slug of one consultation (default: all).")
def recount(slug: str | None) -> None:
    """Rebuild the running tallies from a full recount."""
    for consultation in _consultations(slug):
        tallies.recount_tallies(consultation.id)
        db.session.commit()
        click.echo(f"{consultation.slug}: tallies rebuilt")
    tallies.tidy_awaiting_list()


@contacts_cli.command("purge")
@click.option("--consultation", "slug", help="Slug of one consultation (default: all published).")
def purge(slug: str | None) -> None:
    """Delete contact details of published consultations whose prize draw is done."""
    chosen = [c for c in _consultations(slug) if slug or c.status == ConsultationStatus.PUBLISHED]
    for consultation in chosen:
        try:
            deleted = contacts.purge_contact_details(consultation)
        except DomainError as error:
            click.echo(f"{consultation.slug}: kept ({error.message})")
            continue
        db.session.commit()
        click.echo(f"{consultation.slug}: deleted {deleted} contact record(s)")
