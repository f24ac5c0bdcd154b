"""Staff pages for social media campaigns."""

from engage.social.views import bulk, campaigns, dashboard, job_pages, posts  # noqa: F401
