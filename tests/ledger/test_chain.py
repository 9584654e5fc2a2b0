"""Pure chain code: canonical form, hashes, links (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docket.ledger import chain


def build(n: int, name: str = "case:T") -> list[tuple[bytes, str]]:
    items, prev = [], chain.genesis(name)
    for i in range(n):
        body = chain.canonical(chain.EVENT_KEY, {"seq": i + 1, "payload": {"k": "v" * i}}, prev)
        prev = chain.record_hash(chain.EVENT_DOMAIN, body)
        items.append((body, prev))
    return items


def test_rfc3339_is_utc_with_microseconds():
    moment = datetime(2013, 3, 4, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    assert chain.rfc3339(moment) == "2013-03-04T12:00:00.000000Z"
    assert chain.parse_rfc3339("2013-03-04T12:00:00.000000Z") == moment
    with pytest.raises(chain.CanonicalFormError):
        chain.rfc3339(datetime(2013, 3, 4))


def test_canonical_bytes_end_with_prev_hash_whatever_the_payload():
    prev = "ab" * 32
    body = chain.canonical(chain.EVENT_KEY, {"zzz": {"prev_hash": "x"}, "a": 1}, prev)
    assert body.endswith(b'"prev_hash":"' + prev.encode() + b'"}')
    assert chain.prev_hash_of(body) == prev
    assert chain.prev_hash_of(b"{}") is None


def test_canonical_refuses_what_has_no_canonical_form():
    with pytest.raises(chain.CanonicalFormError):
        chain.canonical(chain.EVENT_KEY, {"n": 2**60}, "0" * 64)
    with pytest.raises(chain.CanonicalFormError):
        chain.canonical(chain.EVENT_KEY, {}, "short")


def test_domains_separate_hashes():
    body = b"{}"
    assert chain.record_hash(chain.EVENT_DOMAIN, body) != chain.record_hash(
        chain.JOURNAL_DOMAIN, body
    )
    assert chain.genesis("case:A") != chain.genesis("case:B")


def test_an_intact_chain_has_no_breaks():
    assert (
        list(
            chain.verify_links(
                build(20), domain=chain.EVENT_DOMAIN, first_prev=chain.genesis("case:T")
            )
        )
        == []
    )


@given(st.integers(0, 9), st.integers(0, 400), st.integers(1, 255))
def test_any_flipped_byte_is_a_break_at_that_record(index, offset, flip):
    items = build(10)
    body, stored = items[index]
    offset %= len(body)
    tampered = bytearray(body)
    tampered[offset] ^= flip
    items[index] = (bytes(tampered), stored)
    breaks = list(
        chain.verify_links(items, domain=chain.EVENT_DOMAIN, first_prev=chain.genesis("case:T"))
    )
    assert breaks
    assert breaks[0].position == index + 1


def test_a_wrong_start_is_a_link_break():
    breaks = list(
        chain.verify_links(
            build(3), domain=chain.EVENT_DOMAIN, first_prev=chain.genesis("case:other")
        )
    )
    assert [(b.position, b.problem) for b in breaks] == [(1, "link")]


def test_reordered_records_break():
    items = build(4)
    items[1], items[2] = items[2], items[1]
    breaks = list(
        chain.verify_links(items, domain=chain.EVENT_DOMAIN, first_prev=chain.genesis("case:T"))
    )
    assert {b.position for b in breaks} >= {2, 3}


def test_utc_is_utc():
    assert chain.parse_rfc3339("2020-01-01T00:00:00.000001Z").tzinfo == UTC
