import re

from engage.core.config import settings_from_environment


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = settings_from_environment(str(tmp_path))["SECRET_KEY"]
    second = settings_from_environment(str(tmp_path))["SECRET_KEY"]
    assert len(first) >= 64
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_defaults_to_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert settings_from_environment(str(tmp_path), "k")["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{tmp_path}/engage.sqlite"
    )


def test_plain_postgres_url_uses_psycopg(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/engage")
    assert settings_from_environment(str(tmp_path), "k")["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://u@db/engage"
    )


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_errors_come_as_json_when_asked(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["status"] == 404


def test_plotly_is_served_by_the_app_itself_compressed_and_cached(client):
    import gzip

    from engage.web.pages import PLOTLY_VERSION

    url = f"/assets/plotly-basic-{PLOTLY_VERSION}.min.js"
    with client.get(url) as plain:
        assert plain.status_code == 200 and b"plotly" in plain.data[:2000].lower()
        assert "immutable" in plain.headers["Cache-Control"]
    with client.get(url, headers={"Accept-Encoding": "gzip, br"}) as zipped:
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert len(zipped.data) < 450_000  # a phone downloads 0.4 MB, not 4.8 MB
        assert gzip.decompress(zipped.data) == plain.data
    # No third-party host in what the browser runs: plotly's map-outline default is ours.
    assert not re.search(
        rb"https?://(cdn|unpkg|cdnjs|ajax\.googleapis|fonts\.googleapis)", plain.data
    )


def test_home_page_says_when_nothing_is_open(client):
    page = client.get("/").get_data(as_text=True)
    assert "There are no open consultations" in page


def test_home_page_lists_open_consultations(client, make_consultation):
    make_consultation()
    page = client.get("/").get_data(as_text=True)
    assert "Your police, your say" in page


def test_create_app_accepts_config_overrides(make_app):
    app = make_app(SECRET_KEY="k", ORGANISATION_NAME="Test Force PCC")
    assert app.config["SECRET_KEY"] == "k"
    assert "Test Force PCC" in app.test_client().get("/").get_data(as_text=True)


def test_pages_refuse_scripts_and_frames_from_elsewhere(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_home_page_title_is_plain_words(client):
    page = client.get("/").get_data(as_text=True)
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "Have your say – engage"


def test_counts_read_as_english():
    from engage.web.templating import counted

    assert counted(1, "grant") == "1 grant"
    assert counted(3, "grant") == "3 grants"
    assert counted(1, "person", "people") == "1 person"
    assert counted(1390, "person", "people") == "1,390 people"


def test_whole_pounds_have_no_pence():
    from engage.core.money import format_pence

    assert format_pence(100_000_000) == "£1,000,000"
    assert format_pence(125_050) == "£1,250.50"
    assert format_pence(-500) == "-£5"
    assert format_pence(None) == "–"


def test_the_favicon_is_served(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.data[:4] == b"\x00\x00\x01\x00"  # the ICO signature
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)
