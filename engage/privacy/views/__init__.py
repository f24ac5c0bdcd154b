"""The data protection pages; each module's routes register on import."""

from engage.privacy.views import retention, subject_access  # noqa: F401
