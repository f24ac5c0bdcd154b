"""Publication: the public funded-projects page, the 360Giving export, and the demo."""

import csv
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from engage.activecitizens.models import ApplicationState, GrantApplication, OrganisationType
from engage.activecitizens.services import rounds, threesixtygiving
from engage.activecitizens.services.threesixtygiving import SCHEMA_DIR
from tests.grants import COVENTRY, application_in_state, make_group, make_round, staff_actor

S = ApplicationState
SHARED_SCHEMA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "360giving"
SCHEMA_FILES = ("360-giving-package-schema.json", "360-giving-schema.json")


def official_validator() -> Draft202012Validator:
    """A validator built here from the schema files, apart from the app's own."""
    directory = SHARED_SCHEMA_DIR if SHARED_SCHEMA_DIR.exists() else SCHEMA_DIR
    package, grant = (json.loads((directory / name).read_text()) for name in SCHEMA_FILES)
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources(
        [(grant["$id"], resource), (grant["$id"].replace("1.4.3", "1.4.2"), resource)]
    )
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.skipif(not SHARED_SCHEMA_DIR.exists(), reason="../shared is not beside this checkout")
@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_the_apps_schema_copies_match_the_shared_ones(name):
    assert (SCHEMA_DIR / name).read_bytes() == (SHARED_SCHEMA_DIR / name).read_bytes()


@pytest.fixture
def published(db):
    """A published round with three funded grants (unregistered, charity, company) and more."""
    funding_round = make_round()
    grants = [
        application_in_state(S.CLOSED, funding_round=funding_round),
        application_in_state(
            S.OFFER_ACCEPTED,
            funding_round=funding_round,
            group=make_group(
                "charity@example.org",
                name="Moseley Trust",
                organisation_type=OrganisationType.CHARITY,
                charity_number="1123456",
            ),
            area=COVENTRY,
        ),
        application_in_state(
            S.MONITORING,
            funding_round=funding_round,
            group=make_group(
                "cic@example.org",
                name="Boxing CIC",
                organisation_type=OrganisationType.CIC,
                company_number="09876543",
            ),
        ),
    ]
    application_in_state(
        S.DECLINED, funding_round=funding_round, group=make_group("no@example.org", name="No")
    )
    rounds.publish_awards(funding_round, staff_actor())
    db.session.commit()
    return funding_round, grants


def test_export_is_a_valid_360giving_package(app, db, published):
    funding_round, grants = published
    package = threesixtygiving.build_package(threesixtygiving.export_grants(funding_round))
    assert list(official_validator().iter_errors(package)) == []
    records = {record["title"]: record for record in package["grants"]}
    assert len(package["grants"]) == 3
    ids = sorted(record["recipientOrganization"][0]["id"] for record in package["grants"])
    assert ids == [
        "360G-engage-group-" + str(grants[0].group_id),
        "GB-CHC-1123456",
        "GB-COH-09876543",
    ]
    record = records["Safer streets after school"]
    assert record["amountAwarded"] == 2500
    assert record["currency"] == "GBP"
    assert record["beneficiaryLocation"][0]["geoCodeType"] == "MD"
    assert {r["beneficiaryLocation"][0]["geoCode"] for r in package["grants"]} == {
        "E08000025",
        "E08000026",
    }
    assert record["grantProgramme"][0] == {
        "code": "acf-test",
        "title": "Active Citizens Fund: Active Citizens Fund test round",
    }
    assert "streetAddress" not in record["recipientOrganization"][0]


def test_an_invalid_grant_is_caught_by_the_schema(app, db, published):
    funding_round, _ = published
    package = threesixtygiving.build_package(threesixtygiving.export_grants(funding_round))
    del package["grants"][0]["awardDate"]
    errors = threesixtygiving.validation_errors(package)
    assert errors and "awardDate" in " ".join(errors)


def test_csv_uses_the_standards_column_titles(app, db, published):
    funding_round, _ = published
    package = threesixtygiving.build_package(threesixtygiving.export_grants(funding_round))
    rows = list(csv.DictReader(io.StringIO(threesixtygiving.package_csv(package))))
    assert len(rows) == 3
    for title in (
        "Identifier",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Recipient Org:Charity Number",
        "Funding Org:Name",
        "Beneficiary Location:Geographic Code Type",
        "Grant Programme:Title",
        "Planned Dates:Start Date",
    ):
        assert title in rows[0], title
    assert {row["Beneficiary Location:Geographic Code Type"] for row in rows} == {"MD"}


def test_export_command_writes_json_and_csv(runner, db, published, tmp_path):
    json_file, csv_file = tmp_path / "grants.json", tmp_path / "grants.csv"
    result = runner.invoke(args=["grants", "export-360giving", "--out", str(json_file)])
    assert result.exit_code == 0, result.output
    assert "Wrote 3 grants" in result.output
    assert list(official_validator().iter_errors(json.loads(json_file.read_text()))) == []
    result = runner.invoke(
        args=["grants", "export-360giving", "--round", "acf-test", "--out", str(csv_file)]
    )
    assert result.exit_code == 0 and csv_file.read_text().startswith("Identifier,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--round", "nope"], "no round with the short name 'nope'"),
        (["--round", "unpublished"], "not published yet"),
    ],
)
def test_export_command_refuses_bad_rounds_and_writes_nothing(runner, db, tmp_path, args, message):
    make_round(slug="unpublished")
    db.session.commit()
    out = tmp_path / "grants.json"
    result = runner.invoke(args=["grants", "export-360giving", *args, "--out", str(out)])
    assert result.exit_code != 0 and message in result.output
    assert not out.exists()


def test_export_command_refuses_an_unknown_format(runner, db, tmp_path):
    result = runner.invoke(
        args=["grants", "export-360giving", "--out", str(tmp_path / "grants.xlsx")]
    )
    assert result.exit_code != 0 and ".json or .csv" in result.output


def test_public_page_lists_published_awards_only(client, db, published):
    funding_round, grants = published
    unpublished = make_round(slug="later")
    application_in_state(
        S.APPROVED, funding_round=unpublished, group=make_group("x@example.org", name="Hidden")
    )
    db.session.commit()
    text = client.get("/active-citizens-fund/funded-projects").get_data(as_text=True)
    assert "Moseley Trust" in text and "Boxing CIC" in text
    assert "Hidden" not in text and ">No<" not in text
    coventry = client.get(f"/active-citizens-fund/funded-projects?area={COVENTRY}")
    assert "Moseley Trust" in coventry.get_data(as_text=True)
    assert "Boxing CIC" not in coventry.get_data(as_text=True)
    assert client.get("/active-citizens-fund/funded-projects?area=nowhere").status_code == 400
    home = client.get("/active-citizens-fund/").get_data(as_text=True)
    assert "3 projects funded" in home


def test_staff_download_the_360giving_files(client, db, published, login):
    funding_round, _ = published
    login(client, "pcc")
    response = client.get(f"/staff/grants/rounds/{funding_round.slug}/360giving.json")
    assert response.status_code == 200
    assert list(official_validator().iter_errors(response.get_json())) == []
    response = client.get(f"/staff/grants/rounds/{funding_round.slug}/360giving.csv")
    assert response.mimetype == "text/csv"


def test_demo_has_applications_in_every_state(runner, db):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    states = set(db.session.scalars(db.select(GrantApplication.state)))
    assert states == set(ApplicationState)
    assert "demo-group@example.org" in result.output


def test_the_csv_read_back_by_flatten_tool_gives_the_json_exports_grants(
    app, db, published, tmp_path
):
    """Read the spreadsheet as the 360Giving community does, with flatten-tool."""
    from flattentool import unflatten

    funding_round, _ = published
    package = threesixtygiving.build_package(threesixtygiving.export_grants(funding_round))
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    (sheets / "grants.csv").write_text(threesixtygiving.package_csv(package), encoding="utf-8")
    out = tmp_path / "unflattened.json"
    unflatten(
        str(sheets),
        input_format="csv",
        output_name=str(out),
        root_list_path="grants",
        schema=str(SCHEMA_DIR / "360-giving-schema.json"),
        convert_titles=True,
        id_name="id",
    )
    read_back = {grant["id"]: grant for grant in json.loads(out.read_text())["grants"]}
    for grant in package["grants"]:
        assert read_back[grant["id"]] == json.loads(json.dumps(grant)), grant["id"]
