"""RFC 6962 Merkle trees over chain heads (pure: no Django import).

Leaf hash = SHA-256(0x00 || leaf), node hash = SHA-256(0x01 || left || right) (RFC 6962
section 2.1), so a leaf can never pass for a node. Audit paths follow RFC 6962 2.1.1 and
are checked with the algorithm of RFC 9162 section 2.1.3.2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import rfc8785

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_bytes(stream: str, seq: int, head_hash: str) -> bytes:
    """The canonical bytes of one leaf: a chain's name, head seq and head hash."""
    return rfc8785.dumps({"hash": head_hash, "seq": seq, "stream": stream})


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """Largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) computed level by level: an odd last node moves up unchanged, which
    gives the same tree as RFC 6962's split at the largest power of two."""
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def audit_path(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 2.1.1: sibling hashes from the leaf up to the root."""
    n = len(leaf_hashes)
    if not 0 <= index < n:
        raise IndexError(f"leaf {index} is not in a tree of {n}")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return [*audit_path(index, leaf_hashes[:k]), root(leaf_hashes[k:])]
    return [*audit_path(index - k, leaf_hashes[k:]), root(leaf_hashes[:k])]


def root_from_path(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes | None:
    """The root implied by an audit path (RFC 9162 2.1.3.2), or None if it cannot fit."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], expected_root: bytes
) -> bool:
    return root_from_path(leaf, index, size, path) == expected_root
