"""Social media campaigns: collecting #hashtag replies, their mood, moderation and answers.

What other packages use: `engage.social.models` (Campaign, SocialPost: coded and corrected
texts) and `engage.social.services.moderation.unclassified_replies` (replies waiting for a
position, which a consultation's results page reports).
"""

from flask import Blueprint, Flask

staff_bp = Blueprint("social_staff", __name__, url_prefix="/staff/social")


def register(app: Flask) -> None:
    """Attach the social media staff pages and their staff-home work.

    Loaded here, not on import, so another package importing this one's models or services
    does not pull in every view (and the import cycles that come with them).
    """
    from engage.social import views  # noqa: F401  (routes register on import)
    from engage.social.services import worklist  # noqa: F401  (staff-home work registers)

    app.register_blueprint(staff_bp)
