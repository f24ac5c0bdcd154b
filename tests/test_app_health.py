"""/healthz and /readyz: what a load balancer polls."""

from engage.web import health

CLOSED_REDIS = "redis://127.0.0.1:6390/0"


def test_healthz_answers_ok_without_touching_anything(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:5999/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_readyz_is_ok_when_database_answers_and_migrations_are_at_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "migrations": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_checks_redis_when_configured(make_app):
    app = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/14")
    body = app.test_client().get("/readyz").get_json()
    assert body["checks"]["redis:RATELIMIT_STORAGE_URI"] == "ok"


def test_readyz_is_503_naming_redis_when_redis_is_down(make_app):
    app = make_app(JOB_QUEUE_URL=CLOSED_REDIS)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["redis:JOB_QUEUE_URL"]
    assert body["checks"]["database"] == "ok"


def test_readyz_is_503_naming_the_database_when_it_does_not_answer(make_app):
    url = "postgresql+psycopg://nobody@127.0.0.1:5999/none?connect_timeout=1"
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failing"] == ["database", "migrations"]


def test_readyz_is_503_when_migrations_are_behind(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "empty.sqlite"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["migrations"]
    assert "no revision" in body["checks"]["migrations"]


def test_readyz_remembers_migrations_at_head(client, app, monkeypatch):
    assert client.get("/readyz").status_code == 200
    monkeypatch.setattr(health, "MigrationContext", None)  # would fail if asked again
    assert client.get("/readyz").status_code == 200
