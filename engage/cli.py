"""The `flask --app engage ...` command groups; each command calls services."""

import os
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from engage.auth import services as auth_services
from engage.auth.models import Role
from engage.core.errors import DomainError
from engage.core.extensions import db

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="The staff member's email address.")
@click.option("--name", default="", help="Their name (defaults to the email's first part).")
@click.option(
    "--role", required=True, type=click.Choice([role.value for role in Role]), help="Their role."
)
def create_user(email: str, name: str, role: str) -> None:
    """Create a staff account; the password comes from ENGAGE_PASSWORD or a prompt."""
    password = os.environ.get("ENGAGE_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = auth_services.create_staff(email, name, role, password)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email}.")


analysis_cli = AppGroup("analysis", help="Train the sentiment model and rescore stored texts.")
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared/data/tweeteval-sentiment"


@analysis_cli.command("train-sentiment")
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="A TweetEval-format directory with train and val splits.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the model (default: the project's engage/analysis/sentiment_model/).",
)
def train_sentiment(data: Path, out: Path | None) -> None:
    """Train the sentiment model on the train split, choosing settings on the val split."""
    from engage.analysis import sentiment_training
    from engage.analysis.sentiment_model import MODEL_DIR

    out = out or MODEL_DIR
    try:
        train = sentiment_training.read_split(data, "train")
        val = sentiment_training.read_split(data, "val")
    except (FileNotFoundError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Read {len(train.texts):,} training and {len(val.texts):,} validation texts.")
    model = sentiment_training.train_model(train, val, on_stage=click.echo)
    click.echo(f"Writing the model to {out}")
    stored = sentiment_training.save_trained(model, out, val)
    scores = stored.metadata["validation"]
    click.echo(
        f"Validation (C={stored.metadata['settings']['C']}): "
        f"macro recall {scores['macro_recall']:.4f}, macro F1 {scores['macro_f1']:.4f}, "
        f"accuracy {scores['accuracy']:.4f}."
    )


@analysis_cli.command("rescore")
def rescore() -> None:
    """Recompute the sentiment of every post and free-text answer, after the model changes."""
    from engage.social.services.sentiment import count_posts, rescore_posts
    from engage.surveys.services.answer_sentiment import count_free_text_answers, rescore_answers

    for label, total, batches in (
        ("Rescoring posts", count_posts(None), rescore_posts(None)),
        ("Rescoring free-text answers", count_free_text_answers(), rescore_answers()),
    ):
        with click.progressbar(length=total, label=label) as bar:
            for done in batches:
                db.session.commit()
                bar.update(done)
        click.echo(f"{label}: {total:,} done.")


def register_commands(app: Flask) -> None:
    from engage.activecitizens.cli import grants_cli
    from engage.backups.cli import backup_cli
    from engage.demo import demo_cli
    from engage.scheduled import jobs_cli
    from engage.social.cli import social_cli
    from engage.surveys.cli import contacts_cli, results_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(analysis_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(results_cli)
    app.cli.add_command(contacts_cli)
    app.cli.add_command(social_cli)
    app.cli.add_command(grants_cli)
    app.cli.add_command(jobs_cli)
