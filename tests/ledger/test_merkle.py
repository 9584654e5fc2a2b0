"""RFC 6962 Merkle tree: roots, audit paths, inclusion (pure, no database)."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from docket.ledger import merkle


def mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 2.1 written out literally (split at the largest power of two < n)."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def test_known_small_trees():
    a, b, c = (merkle.leaf_hash(x) for x in (b"a", b"b", b"c"))
    assert merkle.root([]) == hashlib.sha256(b"").digest()
    assert merkle.root([a]) == a
    assert merkle.root([a, b]) == merkle.node_hash(a, b)
    # three leaves: ((a b) c), not (a (b c)) and not with c duplicated
    assert merkle.root([a, b, c]) == merkle.node_hash(merkle.node_hash(a, b), c)
    assert a == hashlib.sha256(b"\x00a").digest()


@given(st.lists(st.binary(max_size=8), min_size=0, max_size=70))
def test_root_matches_the_rfc_definition(leaves):
    assert merkle.root([merkle.leaf_hash(x) for x in leaves]) == mth(leaves)


# Leaves are unique in Docket (one per stream), so the strategy draws unique ones.
@given(st.lists(st.binary(max_size=4), min_size=1, max_size=40, unique=True), st.data())
def test_every_audit_path_verifies_and_tampering_fails(leaves, data):
    hashes = [merkle.leaf_hash(x) for x in leaves]
    top = merkle.root(hashes)
    i = data.draw(st.integers(0, len(leaves) - 1))
    path = merkle.audit_path(i, hashes)
    assert merkle.verify_inclusion(hashes[i], i, len(hashes), path, top)
    assert not merkle.verify_inclusion(
        merkle.leaf_hash(b"other" + leaves[i]), i, len(hashes), path, top
    )
    if len(hashes) > 1:
        wrong = (i + 1) % len(hashes)
        assert not merkle.verify_inclusion(hashes[i], wrong, len(hashes), path, top)
        # (The size itself is bound by the signature over size and root, not by the path.)
        bent = [bytes([path[0][0] ^ 1]) + path[0][1:], *path[1:]]
        assert not merkle.verify_inclusion(hashes[i], i, len(hashes), bent, top)
        assert not merkle.verify_inclusion(hashes[i], i, len(hashes), path[:-1], top)


def test_leaf_bytes_are_canonical():
    assert merkle.leaf_bytes("case:A", 3, "ab") == b'{"hash":"ab","seq":3,"stream":"case:A"}'
