"""`flask --app engage demo load`: demo data so a newcomer sees a living platform."""

import secrets

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from engage.activecitizens.demo import load_grants_demo
from engage.auth import services as auth_services
from engage.auth.models import Role
from engage.core.extensions import db
from engage.outcomes.demo import load_outcomes_demo
from engage.social.demo import load_social_demo
from engage.surveys.demo import demo_loaded, load_survey_demo
from engage.surveys.models import Consultation

DEMO_ADMIN_EMAIL = "demo-admin@example.org"

demo_cli = AppGroup("demo", help="Load demonstration data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no consultations.")
def load(if_empty: bool) -> None:
    """Load the WMP2020 demo consultation, events, responses, the #WMP2020 campaign, the
    Active Citizens Fund with applications in every state, and demo accounts."""
    if if_empty and db.session.scalar(select(func.count()).select_from(Consultation)):
        click.echo("The database already has consultations; demo data not loaded.")
        return
    if demo_loaded():
        click.echo("Demo data is already loaded.")
        return
    admin = auth_services.find_staff_by_email(DEMO_ADMIN_EMAIL)
    password = None
    if admin is None:
        password = secrets.token_urlsafe(12)
        admin = auth_services.create_staff(
            DEMO_ADMIN_EMAIL, "Demo administrator", Role.ADMIN, password
        )
    wmp2020 = load_survey_demo(echo=click.echo, admin=admin)
    load_social_demo(echo=click.echo, admin=admin, consultation=wmp2020)
    grant_passwords = load_grants_demo(echo=click.echo, admin=admin)
    load_outcomes_demo(echo=click.echo, admin=admin)
    db.session.commit()
    accounts = {DEMO_ADMIN_EMAIL: password} if password else {}
    accounts |= grant_passwords
    click.echo("")
    click.echo("Demo accounts (passwords shown once, note them now):")
    for email, secret in accounts.items():
        click.echo(f"  {email}  {secret}")
    click.echo("The administrator can do everything staff can; the group signs in at")
    click.echo("/active-citizens-fund/sign-in and the reviewer at /staff/login.")
