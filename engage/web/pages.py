"""Site-wide pages: the home page, accessibility and privacy statements, bundled assets."""

import gzip
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, render_template, request, send_from_directory

from engage.privacy import records
from engage.surveys.services import consultations as consultation_services

bp = Blueprint("web", __name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# The basic bundle (bar, scatter, pie), vendored: see static/vendor/plotly/SOURCE.md.
PLOTLY_VERSION = "4.1.1"
PLOTLY_BUNDLE = STATIC_DIR / "vendor" / "plotly" / "plotly-basic.min.js"
A_YEAR = 365 * 24 * 3600


@bp.get("/")
def home():
    consultations = consultation_services.list_open_consultations()
    published = consultation_services.list_published_consultations()
    return render_template("home.html", consultations=consultations, published=published)


@bp.get("/privacy")
def privacy():
    """The privacy notice, its holdings and periods read from the registry and the schedule."""
    return render_template("privacy.html", records=records.processing_records(public_only=True))


@bp.get("/accessibility")
def accessibility():
    return render_template("accessibility.html")


@cache
def _plotly_bodies() -> tuple[bytes, bytes]:
    """The bundle as is and gzipped, compressed once per process."""
    plain = PLOTLY_BUNDLE.read_bytes()
    return plain, gzip.compress(plain, compresslevel=9, mtime=0)


@bp.get(f"/assets/plotly-basic-{PLOTLY_VERSION}.min.js")
def plotly_js():
    """Serve plotly.js ourselves (no CDN), gzipped, cached for a year: the URL names the version."""
    plain, zipped = _plotly_bodies()
    wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(zipped if wants_gzip else plain, mimetype="text/javascript")
    if wants_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={A_YEAR}, immutable"
    return response


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; answer rather than log a 404."""
    return send_from_directory(
        STATIC_DIR,
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=86400 * 7,
    )
