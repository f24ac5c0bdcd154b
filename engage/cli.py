"""The `flask --app engage ...` command groups; each command calls services."""

import os

import click
from flask import Flask
from flask.cli import AppGroup

from engage.auth import services as auth_services
from engage.auth.models import Role
from engage.errors_domain import DomainError
from engage.extensions import db

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


def register_commands(app: Flask) -> None:
    from engage.activecitizens.cli import grants_cli
    from engage.demo import demo_cli
    from engage.social.cli import social_cli
    from engage.surveys.cli import contacts_cli, results_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(results_cli)
    app.cli.add_command(contacts_cli)
    app.cli.add_command(social_cli)
    app.cli.add_command(grants_cli)
