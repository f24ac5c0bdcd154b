"""`flask --app engage privacy ...`: enforce the retention schedule by hand or from cron."""

import click
from flask.cli import AppGroup

from engage.core.extensions import db
from engage.privacy.retention import enforce_retention
from engage.privacy.schedule import CLASSES, SOCIAL_POSTS
from engage.social import jobs as social_jobs

privacy_cli = AppGroup("privacy", help="UK GDPR duties: the retention schedule.")


@privacy_cli.command("enforce-retention")
@click.option("--dry-run", is_flag=True, help="Count what is past its period; change nothing.")
def enforce_retention_command(dry_run: bool) -> None:
    """Delete or anonymise personal data past its retention period, and log how much."""
    outcomes = []
    with click.progressbar(
        enforce_retention(dry_run=dry_run), length=len(CLASSES), label="Retention schedule"
    ) as bar:
        for outcome in bar:
            if not dry_run:
                db.session.commit()
            outcomes.append(outcome)
    verb = "would be" if dry_run else "were"
    for outcome in outcomes:
        line = (
            f"{outcome.data_class.label}: {outcome.count:,} {verb} {outcome.data_class.action} "
            f"(kept {outcome.days:,} days after {outcome.data_class.starts})"
        )
        if outcome.held:
            line += f"; {outcome.held:,} kept on legal hold (open grant)"
        click.echo(line + ".")
    if not dry_run and any(o.count for o in outcomes if o.data_class is SOCIAL_POSTS):
        social_jobs.fold_post_tallies()
