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


def consistency_proof(old_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 2.1.4.1: that the tree of the first ``old_size`` leaves is
    a prefix of the tree of all of them. Empty when either tree is empty or they are equal."""
    n = len(leaf_hashes)
    if not 0 <= old_size <= n:
        raise IndexError(f"a tree of {old_size} is not a prefix of a tree of {n}")
    if old_size in (0, n):
        return []
    return _subproof(old_size, leaf_hashes, True)


def _subproof(m: int, leaves: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete), root(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), root(leaves[:k])]


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: the tree (old_size, old_root) is a prefix of (new_size, new_root)."""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof  # every tree extends the empty one
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is a node of the new tree
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0
