"""The password policy: long enough and hard to guess, judged offline by zxcvbn.

zxcvbn ships its own lists (common passwords, English words, names, keyboard patterns), so no
password leaves the machine. The account's own details and the words of the service count as
guessable: 'engage-police-2026' or a password built from one's email scores low.
"""

from zxcvbn import zxcvbn

from engage.core.errors import DomainError

MIN_PASSWORD_LENGTH = 12
MIN_SCORE = 3  # zxcvbn's 0-4; 3 is "safely unguessable: moderate protection from offline attack"
# zxcvbn spends its time on long inputs; past this it is long enough to judge on the first part.
_JUDGED_LENGTH = 100
PASSWORD_HINT = (
    f"At least {MIN_PASSWORD_LENGTH} characters and hard to guess: a few unrelated words work well."
)
SERVICE_WORDS = ("engage", "police", "pcc", "crime", "commissioner", "west", "midlands")


def _user_inputs(email: str, name: str) -> list[str]:
    words = [*SERVICE_WORDS]
    email = email.strip().lower()
    if email:
        words += [email, *email.replace("@", ".").replace("-", ".").replace("_", ".").split(".")]
    words += [part for part in name.lower().split() if part]
    return [word for word in words if word]


def check_password(password: str, email: str = "", name: str = "", field: str = "password") -> None:
    """Refuse a password that is short or guessable, saying why and how to do better."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters", field)
    result = zxcvbn(password[:_JUDGED_LENGTH], user_inputs=_user_inputs(email, name))
    if result["score"] >= MIN_SCORE:
        return
    feedback = result["feedback"]
    advice = [feedback.get("warning") or "", *feedback.get("suggestions", [])]
    hints = " ".join(text for text in advice if text)
    raise DomainError(
        "Choose a password that is harder to guess: a few unrelated words work well."
        + (f" {hints}" if hints else ""),
        field,
    )
