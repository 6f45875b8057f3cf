"""The survey's answer codes are the core's one-time codes (``lokalsamfund.core.codes``)."""

from lokalsamfund.core.codes import (
    ALPHABET,
    LENGTH,
    code_hash,
    formatted,
    looks_valid,
    new_code,
    normalise,
)

__all__ = ["ALPHABET", "LENGTH", "code_hash", "formatted", "looks_valid", "new_code", "normalise"]
