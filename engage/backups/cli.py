"""`flask --app engage backup create|restore FOLDER`."""

from pathlib import Path

import click
from flask.cli import AppGroup

from engage.backups import services
from engage.core.errors import DomainError

backup_cli = AppGroup("backup", help="Back up or restore the database and grant documents.")


@backup_cli.command("create")
@click.argument("folder", type=click.Path(path_type=Path))
def create(folder: Path) -> None:
    """Write a backup into FOLDER (new or empty)."""
    try:
        for written in services.create_backup(folder):
            click.echo(f"wrote {written}")
    except DomainError as refused:
        raise click.ClickException(refused.message) from refused


@backup_cli.command("restore")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
def restore(folder: Path) -> None:
    """Load the backup in FOLDER into this empty database and documents folder."""
    try:
        services.restore_backup(folder)
    except DomainError as refused:
        raise click.ClickException(refused.message) from refused
    click.echo(f"restored {folder}")
