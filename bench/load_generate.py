"""Generate a large organization for the load benchmark. BENCH DATA ONLY.

    DATABASE_URL=... DOCKET_VAR_DIR=... python bench/load_generate.py --cases 100000 \\
        --members 100000 --out world.json

On a fresh, migrated database (the runner, ``bench/load_run.py``, makes one):

1. keys, the shipped protocols, the fictional League (``docket.demo.league``) made
   through the services, and sign-in accounts with TOTP for the current NDC chair (N6:
   sits on the body that holds every case, and on every panel) and for member M1 (the
   respondent of the measured cases: the party portal);
2. ``TEMPLATES`` real cases made through the services (received, referred, opened,
   panel, charges, 2-4 witness statements, disclosure): these are the measured cases,
   with real encrypted content;
3. ``--members`` members written in bulk (person, membership, unit, standing rows);
4. the rest of ``--cases`` cases cloned in bulk from the templates, each with its own
   respondent and complainant drawn from the generated members: ledger events with
   VALID hash chains (each body re-canonicalized with ``docket.ledger.chain`` and chained
   to its new stream's genesis), heads, and the ``Case``/``CaseRole``/``CaseBody``/
   ``CaseObligation``
   projection rows the templates' projections give, with the people substituted.

What the clones do not have, and why it does not matter for what is measured: no
content rows or case keys (their statements exist only as ledger references; the pages
measured are those of the real template cases), no notices, no intake index entries,
and the generated members have no org-ledger events. So ``docket ledger verify`` holds
over the case chains, while ``docket ledger rebuild --check`` is not meant to run on
this data. Never run this against a real installation: it refuses a database that
already holds cases.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
TEMPLATES = 6


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def members_bulk(count: int, units: list[Any]) -> list[str]:
    """``count`` members in bulk; returns their public ids."""
    from django.db import transaction

    from docket.core.ids import public_id
    from docket.org.models import (
        Membership,
        Organization,
        Person,
        StandingChange,
        UnitTransfer,
    )

    org = Organization.objects.get()
    joined = datetime(2015, 1, 5, 12, tzinfo=UTC)
    ids: list[str] = []
    batch = 5000
    for start in range(0, count, batch):
        n = min(batch, count - start)
        with transaction.atomic():
            people = Person.objects.bulk_create(
                [
                    Person(
                        organization=org,
                        public_id=public_id(),
                        display_name=f"Bench Member {start + i:06d}",
                        created_at=joined,
                    )
                    for i in range(n)
                ]
            )
            ships = Membership.objects.bulk_create(
                [
                    Membership(
                        person=p,
                        member_number=f"B-{start + i:07d}",
                        joined_on=date(2015, 1, 5),
                        joined_at=joined,
                        created_at=joined,
                    )
                    for i, p in enumerate(people)
                ]
            )
            UnitTransfer.objects.bulk_create(
                [
                    UnitTransfer(
                        membership=m,
                        from_unit=None,
                        to_unit=units[(start + i) % len(units)],
                        effective_at=joined,
                        reason="joined (bench data)",
                        recorded_by="bench",
                        recorded_at=joined,
                    )
                    for i, m in enumerate(ships)
                ]
            )
            StandingChange.objects.bulk_create(
                [
                    StandingChange(
                        membership=m,
                        status="active",
                        effective_at=joined,
                        reason="joined (bench data)",
                        recorded_by="bench",
                        recorded_at=joined,
                    )
                    for m in ships
                ]
            )
        ids.extend(p.public_id for p in people)
    return ids


def clone_cases(templates: list[Any], count: int, members: list[str], league: Any) -> int:
    """``count`` cases cloned from ``templates``; returns the number of events written."""
    from django.db import connection, transaction

    from docket.cases.models import Case, CaseBody, CaseObligation, CaseRole
    from docket.core.ids import public_id
    from docket.ledger import chain
    from docket.ledger.models import LedgerEvent
    from docket.org.models import Person

    ops = connection.ops
    person_pk = dict(Person.objects.values_list("public_id", "id"))
    respondent = league.person("M1").public_id
    complainant = league.person("M2").public_id
    plans = []
    for case in templates:
        stored = list(LedgerEvent.objects.filter(stream=case.stream).order_by("seq"))
        plans.append(
            {
                "case": case,
                "events": [json.loads(bytes(e.body))["event"] for e in stored],
                "roles": list(CaseRole.objects.filter(case=case).values()),
                "bodies": list(CaseBody.objects.filter(case=case).values()),
                "obligations": list(CaseObligation.objects.filter(case=case).values()),
                "times": [(e.occurred_at, e.recorded_at) for e in stored],
            }
        )
    insert = (
        "INSERT INTO ledger_event (stream, seq, type, actor, capacity, occurred_at,"
        " recorded_at, recorded_by, provenance, payload, deviation, prev_hash, hash, body)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    rng = random.Random(2026)
    written = 0
    t0 = time.perf_counter()
    batch = 2000
    skip = {"id", "case_id"}
    for start in range(0, count, batch):
        n = min(batch, count - start)
        cases: list[Any] = []
        events: list[Any] = []
        heads: list[Any] = []
        roles: list[Any] = []
        bodies: list[Any] = []
        obligations: list[Any] = []
        for i in range(start, start + n):
            plan = plans[i % len(plans)]
            tpl: Any = plan["case"]
            new_id = public_id()
            r, c = rng.choice(members), rng.choice(members)
            while c == r:
                c = rng.choice(members)
            swap = {tpl.public_id: new_id, respondent: r, complainant: c}
            # Spread the cases over ten years, keeping each one's internal rhythm.
            shift = timedelta(days=rng.randint(-3650, 0), seconds=rng.randint(0, 86399))
            stream = f"case:{new_id}"
            prev = chain.genesis(stream)
            for event, (occ, rec) in zip(plan["events"], plan["times"], strict=True):
                text = json.dumps(event)
                for old, new in swap.items():
                    text = text.replace(old, new)
                fields = json.loads(text)
                occ_s, rec_s = occ + shift, rec + shift
                fields["occurred_at"] = chain.rfc3339(occ_s)
                fields["recorded_at"] = chain.rfc3339(rec_s)
                body = chain.canonical(chain.EVENT_KEY, fields, prev)
                digest = chain.record_hash(chain.EVENT_DOMAIN, body)
                events.append(
                    (
                        stream, fields["seq"], fields["type"], fields["actor"],
                        fields["capacity"], ops.adapt_datetimefield_value(occ_s),
                        ops.adapt_datetimefield_value(rec_s), fields["recorded_by"],
                        fields["provenance"], json.dumps(fields["payload"]),
                        json.dumps(fields["deviation"]) if fields["deviation"] is not None
                        else None, prev, digest, body,
                    )
                )  # fmt: skip
                prev = digest
            heads.append((stream, len(plan["events"]), prev))

            def moved(value: Any, shift: timedelta = shift) -> Any:
                return value + shift if value is not None else None

            copy = Case(
                **{f.attname: getattr(tpl, f.attname) for f in Case._meta.concrete_fields
                   if f.attname not in ("id", "public_id", "reference")},
                public_id=new_id,
                reference=f"G-{i + 1:06d}",
            )  # fmt: skip
            for name in ("received_at", "opened_at", "decided_at", "closed_at", "last_event_at"):
                setattr(copy, name, moved(getattr(tpl, name)))
            cases.append(copy)
            people = {person_pk[tpl_pid]: person_pk[new] for tpl_pid, new in swap.items()
                      if tpl_pid in person_pk}  # fmt: skip
            roles.append(
                [
                    {**{k: v for k, v in row.items() if k not in skip},
                     "person_id": people.get(row["person_id"], row["person_id"])}
                    for row in plan["roles"]
                ]
            )  # fmt: skip
            bodies.append([{k: v for k, v in row.items() if k not in skip}
                           for row in plan["bodies"]])  # fmt: skip
            obligations.append(
                [{**{k: v for k, v in row.items() if k not in skip},
                  **{k: moved(row[k]) for k in ("started_at", "due", "remind_at")}}
                 for row in plan["obligations"]]
            )  # fmt: skip
        with transaction.atomic():
            made = Case.objects.bulk_create(cases)
            CaseRole.objects.bulk_create(
                [CaseRole(case_id=m.pk, **row) for m, rows in zip(made, roles, strict=True)
                 for row in rows]
            )  # fmt: skip
            CaseBody.objects.bulk_create(
                [CaseBody(case_id=m.pk, **row) for m, rows in zip(made, bodies, strict=True)
                 for row in rows]
            )  # fmt: skip
            CaseObligation.objects.bulk_create(
                [CaseObligation(case_id=m.pk, **row)
                 for m, rows in zip(made, obligations, strict=True) for row in rows]
            )  # fmt: skip
            with connection.cursor() as cursor:
                cursor.executemany(insert, events)
                cursor.executemany(
                    "INSERT INTO ledger_head (stream, seq, hash) VALUES (%s, %s, %s)", heads
                )
        written += len(events)
        say(f"  cloned {start + n:,} cases, {written:,} events ({time.perf_counter() - t0:.0f}s)")
    return written


def generate(cases: int, members: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from load_world import account, investigated_case, session_cookie

    from docket.cases.models import Case
    from docket.demo.league import build_league
    from docket.ledger.models import LedgerEvent

    if Case.objects.exists():
        raise SystemExit("refusing: this database already holds cases (bench data only)")
    t0 = time.perf_counter()
    call_command("keys", "init", verbosity=0)
    call_command("protocol", "adopt", "--shipped", verbosity=0)
    league = build_league()
    chair = account(league.person("N6"), "bench-chair@league.example")
    party = account(league.person("M1"), "bench-party@league.example")
    start = datetime.now(UTC) - timedelta(days=30)
    templates = [
        investigated_case(
            league, start + timedelta(hours=i), reference=f"T-{i + 1:03d}", statements=2 + i % 3
        )
        for i in range(min(TEMPLATES, cases))
    ]
    say(f"templates made ({time.perf_counter() - t0:.0f}s)")
    units = list(league.units.values())
    member_ids = members_bulk(members, units)
    say(f"{members:,} members ({time.perf_counter() - t0:.0f}s)")
    clone_cases(templates, cases - len(templates), member_ids, league)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    from docket.api.credentials import token_create

    token = token_create(
        email=chair.email, scopes=["cases:read", "cases:act"], days=2, actor="bench"
    ).secret
    writable = list(
        Case.objects.filter(reference__startswith="G-").values_list("public_id", flat=True)[:500]
    )
    world = {
        "cases": Case.objects.count(),
        "token": token,
        "write_cases": writable or [t.public_id for t in templates],
        "events": LedgerEvent.objects.count(),
        "members": members,
        "measured_case": templates[0].public_id,
        "real_cases": [t.public_id for t in templates],
        "chair_cookie": session_cookie(chair),
        "party_cookie": session_cookie(party),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    say(f"done: {world['cases']:,} cases, {world['events']:,} events in {world['seconds']} s")
    return world


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--out", required=True, help="where to write the world's JSON")
    args = ap.parse_args()
    setup()
    world = generate(args.cases, args.members)
    Path(args.out).write_text(json.dumps(world, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
