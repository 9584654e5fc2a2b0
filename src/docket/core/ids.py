"""Identifiers: unguessable public ids and human case references."""

from __future__ import annotations

import secrets

# Crockford base32 without I, L, O, U: easy to read aloud and type.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def public_id(length: int = 16) -> str:
    """A random identifier for URLs (16 symbols = 80 bits): cases cannot be guessed."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
