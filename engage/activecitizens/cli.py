"""`flask --app engage grants ...`: publishing the fund's awards in the 360Giving standard."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from engage.activecitizens.services import rounds, threesixtygiving
from engage.core.errors import DomainError

grants_cli = AppGroup("grants", help="The Active Citizens Fund.")


@grants_cli.command("export-360giving")
@click.option("--round", "round_slug", help="One round's short name; every round if left out.")
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write: .json for a 360Giving package, .csv for the spreadsheet form.",
)
def export_360giving(round_slug: str | None, out_path: Path) -> None:
    """Write the published awards as a 360Giving JSON package or CSV, checked against the schema."""
    if out_path.suffix.lower() not in (".json", ".csv"):
        raise click.ClickException("--out must end in .json or .csv")
    funding_round = None
    if round_slug:
        funding_round = rounds.round_by_slug(round_slug)
        if funding_round is None:
            raise click.ClickException(f"There is no round with the short name '{round_slug}'")
    try:
        package = threesixtygiving.build_package(threesixtygiving.export_grants(funding_round))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if out_path.suffix.lower() == ".json":
        text = json.dumps(package, indent=2, ensure_ascii=False)
    else:
        text = threesixtygiving.package_csv(package)
    out_path.write_text(text, encoding="utf-8")
    click.echo(
        f"Wrote {len(package['grants'])} grants to {out_path} (valid against 360Giving 1.4.3)."
    )
