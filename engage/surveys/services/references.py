"""Short, unguessable references people can read out over the phone."""

import secrets

# No 0/O, 1/I/L or U, so references survive being read aloud or handwritten.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str, length: int = 8) -> str:
    return prefix + "-" + "".join(secrets.choice(ALPHABET) for _ in range(length))
