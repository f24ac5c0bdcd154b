"""Site-wide pages: the home page, accessibility and privacy statements, bundled assets."""

from pathlib import Path

import plotly
from flask import Blueprint, render_template, send_from_directory

from engage.surveys.services import consultations as consultation_services

bp = Blueprint("web", __name__)

PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"


@bp.get("/")
def home():
    consultations = consultation_services.list_open_consultations()
    published = consultation_services.list_published_consultations()
    return render_template("home.html", consultations=consultations, published=published)


@bp.get("/privacy")
def privacy():
    return render_template("privacy.html")


@bp.get("/accessibility")
def accessibility():
    return render_template("accessibility.html")


@bp.get("/assets/plotly.min.js")
def plotly_js():
    """Serve the plotly.js bundled with the plotly package, so no CDN is needed."""
    return send_from_directory(PLOTLY_DIR, "plotly.min.js", max_age=86400)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; answer rather than log a 404."""
    return send_from_directory(
        Path(__file__).resolve().parent / "static",
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=86400 * 7,
    )
