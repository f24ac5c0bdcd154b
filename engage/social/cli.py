"""`flask --app engage social ...`: collect, import, rescore, purge and export posts, and keep
the dashboard's post tallies (fold, recount, verify)."""

import os
from pathlib import Path

import click
from flask.cli import AppGroup

from engage.core.db_types import utcnow
from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.social import jobs
from engage.social.models import RunStatus
from engage.social.services import (
    campaigns,
    exports,
    imports,
    post_tallies,
    privacy,
    sentiment,
)
from engage.social.services.collection import collect_from_x
from engage.social.services.readers import FORMATS
from engage.social.x_client import XClient, XError

social_cli = AppGroup("social", help="Collect and manage social media campaign posts.")


def _campaign(slug: str):
    try:
        return campaigns.get_campaign(slug)
    except DomainError as error:
        raise click.ClickException(error.message) from None


@social_cli.command("collect")
@click.option("--campaign", "slug", required=True, help="The campaign's short name, e.g. wmp2020.")
def collect(slug: str) -> None:
    """Collect the campaign's new posts from X's recent search (needs X_BEARER_TOKEN)."""
    campaign = _campaign(slug)
    try:
        client = XClient(os.environ.get("X_BEARER_TOKEN"))
    except XError as error:
        raise click.ClickException(error.message) from None
    bar = None

    def show_estimate(estimate: int) -> None:
        nonlocal bar
        click.echo(f"X estimates {estimate:,} new posts for {campaign.name}.")
        bar = click.progressbar(length=max(estimate, 1), label="Reading posts")
        bar.__enter__()

    def page_stored(run) -> None:
        db.session.commit()
        if bar is not None:
            bar.update(run.posts_read - bar.pos)

    try:
        outcome = collect_from_x(campaign, client, page_stored, show_estimate)
    except XError as error:
        db.session.commit()  # keep the record of the failed run and the pages stored before it
        raise click.ClickException(error.message) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    db.session.commit()
    jobs.fold_post_tallies()
    if outcome.warning:
        click.echo(outcome.warning)
    run = outcome.run
    click.echo(run.message)
    if run.status != RunStatus.COMPLETED:
        raise SystemExit(2)


@social_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--campaign", "slug", required=True, help="The campaign's short name.")
@click.option("--format", "file_format", required=True, type=click.Choice(FORMATS))
def import_file(path: Path, slug: str, file_format: str) -> None:
    """Import posts from X API JSON lines (as twarc2 writes them) or a CSV export."""
    campaign = _campaign(slug)
    run = imports.start_run(campaign, file_format)
    db.session.commit()
    size = path.stat().st_size
    with path.open("rb") as stream, click.progressbar(length=size, label="Importing") as bar:

        def batch_stored(position: int) -> None:
            db.session.commit()
            bar.update(position - bar.pos)

        report = imports.ImportReport()
        try:
            imports.import_posts(campaign, stream, file_format, batch_stored, report=report)
        except DomainError as error:
            db.session.rollback()  # the unfinished batch; the committed ones stay counted
            imports.finish_run(run, RunStatus.FAILED, report, error.message)
            db.session.commit()
            raise click.ClickException(error.message) from None
        bar.update(size - bar.pos)
    imports.finish_run(run, RunStatus.COMPLETED, report, report.summary())
    db.session.commit()
    jobs.fold_post_tallies()
    click.echo(report.summary() + ".")
    for line, reason in report.reasons[:50]:
        click.echo(f"  line {line}: {reason}")
    if report.rejected > 50:
        click.echo(f"  ... and {report.rejected - 50:,} more rejected rows.")


@social_cli.command("rescore")
@click.option("--campaign", "slug", help="One campaign's short name (default: every post).")
def rescore(slug: str | None) -> None:
    """Recompute every post's sentiment, after the analyser changes."""
    campaign = _campaign(slug) if slug else None
    total = sentiment.count_posts(campaign)
    with click.progressbar(length=total, label="Rescoring") as bar:
        for done in sentiment.rescore_posts(campaign):
            db.session.commit()
            bar.update(done)
    jobs.fold_post_tallies()
    post_tallies.tidy()
    click.echo(f"Rescored {total:,} posts.")


@social_cli.command("purge")
def purge() -> None:
    """Delete posts older than their campaign's retention period."""
    now = utcnow()
    for campaign in campaigns.list_campaigns():
        deleted = privacy.purge_expired_posts(campaign, now)
        db.session.commit()
        cutoff = privacy.retention_cutoff(campaign, now)
        click.echo(
            f"{campaign.slug}: deleted {deleted:,} posts from before {cutoff:%-d %B %Y} "
            f"({campaign.retention_days} days' retention)."
        )
    jobs.fold_post_tallies()
    post_tallies.tidy()


@social_cli.command("export")
@click.option("--campaign", "slug", required=True, help="The campaign's short name.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export(slug: str, out: Path) -> None:
    """Write the campaign's visible posts as CSV, with authors pseudonymised."""
    campaign = _campaign(slug)
    with out.open("w", encoding="utf-8", newline="") as handle:
        for chunk in exports.posts_csv(campaign):
            handle.write(chunk)
    click.echo(f"Wrote {out}.")


def _campaigns(slug: str | None):
    return [_campaign(slug)] if slug else campaigns.list_campaigns()


@social_cli.command("fold")
def fold() -> None:
    """Rebuild the dashboard tallies of every campaign hour whose posts changed."""
    folded = jobs.fold_post_tallies()
    post_tallies.tidy()
    click.echo(f"{folded:,} campaign hour(s) folded into the post tallies.")


@social_cli.command("recount")
@click.option("--campaign", "slug", help="One campaign's short name (default: every campaign).")
def recount(slug: str | None) -> None:
    """Rebuild the dashboard's post tallies from every post (after a repair)."""
    for campaign in _campaigns(slug):
        post_tallies.recount(campaign)
        db.session.commit()
        click.echo(f"{campaign.slug}: post tallies rebuilt")
    post_tallies.tidy()


@social_cli.command("verify")
@click.option("--campaign", "slug", help="One campaign's short name (default: every campaign).")
def verify(slug: str | None) -> None:
    """Prove the figures the dashboard reads equal a full recount of the posts."""
    failures = 0
    for campaign in _campaigns(slug):
        differences = post_tallies.compare(campaign)
        if differences:
            failures += 1
            click.echo(f"{campaign.slug}: {len(differences)} figure(s) differ from a recount")
            for line in differences[:20]:
                click.echo(f"  {line}")
        else:
            click.echo(f"{campaign.slug}: post tallies equal a full recount")
    if failures:
        raise click.ClickException(
            f"{failures} campaign(s) differ; run 'flask --app engage social recount'."
        )
