"""The running app's settings, read by name, so services never import Flask to reach them.

`settings.GRANT_DOCUMENTS_DIR` reads the current app's config (as indico's
`indico.core.config.config` does): the values come from core/config.py's environment
variables, and each app (tests make several) keeps its own.
"""

from typing import Any

from flask import current_app


class _Settings:
    @property
    def config(self) -> Any:
        """The whole mapping, for helpers that take it (config.signing_keys)."""
        return current_app.config

    def __getattr__(self, name: str) -> Any:
        try:
            return current_app.config[name]
        except KeyError:
            raise AttributeError(f"No setting {name}") from None


settings = _Settings()
