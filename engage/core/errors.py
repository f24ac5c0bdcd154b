"""The error every service raises when a rule is broken."""


class DomainError(Exception):
    """A broken business rule, with a message fit to show the user.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


class NotFound(DomainError):
    """An id or address that names nothing the caller may see: the error pages answer 404."""

    def __init__(self, message: str):
        super().__init__(message, status=404)
