"""The data protection pages; each module's routes register on import."""

from engage.privacy.views import access_log, records, retention, subject_access  # noqa: F401
