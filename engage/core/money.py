"""Money as integer pence: reading what people type, and showing it back."""

import re
from decimal import Decimal, InvalidOperation

_TYPED_AMOUNT = re.compile(r"^£?\s*([0-9][0-9,]*)(?:\.([0-9]*))?$")


def parse_pounds(typed: str | None) -> int:
    """Turn '£1,250.50' into 125050 pence; ValueError with a message for anything else."""
    text = (typed or "").strip().replace(" ", "")
    if not text:
        raise ValueError("Enter an amount in pounds, like 1250 or 1250.50")
    if text.startswith("-") or text.startswith("£-"):
        raise ValueError("Enter an amount of more than £0")
    match = _TYPED_AMOUNT.match(text)
    if not match or (match.group(2) is not None and match.group(2) == ""):
        raise ValueError("Enter an amount in pounds, like 1250 or 1250.50")
    pounds_text, pence_text = match.group(1), match.group(2) or ""
    if "," in pounds_text and not re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})*", pounds_text):
        raise ValueError("Enter an amount in pounds, like 1250 or 1250.50")
    if len(pence_text) > 2:
        raise ValueError("Enter the amount in whole pence, with no more than 2 decimal places")
    try:
        amount = Decimal(pounds_text.replace(",", "") + "." + (pence_text or "0"))
    except InvalidOperation:
        raise ValueError("Enter an amount in pounds, like 1250 or 1250.50") from None
    pence = int(amount * 100)
    if pence > 10**12:
        raise ValueError("That amount is too large")
    return pence


def format_pence(pence: int | None) -> str:
    """125050 -> '£1,250.50' and 125000 -> '£1,250': no pence on whole pounds (GOV.UK style)."""
    if pence is None:
        return "–"
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    if rest == 0:
        return f"{sign}£{pounds:,}"
    return f"{sign}£{pounds:,}.{rest:02d}"


def pence_to_pounds_text(pence: int | None) -> str:
    """125050 -> '1250.50', the value put back into an amount field."""
    if pence is None:
        return ""
    pounds, rest = divmod(pence, 100)
    return f"{pounds}.{rest:02d}" if rest else str(pounds)
