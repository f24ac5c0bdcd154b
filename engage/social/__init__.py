"""Social media campaigns: collecting #hashtag replies, their mood, moderation and answers."""

from flask import Blueprint

staff_bp = Blueprint("social_staff", __name__, url_prefix="/staff/social")

from engage.social.services import worklist  # noqa: E402,F401  (its staff-home work registers on import)
from engage.social.views import bulk, campaigns, dashboard, job_pages, posts  # noqa: E402,F401
