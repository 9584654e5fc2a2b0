"""Who owes an obligation: the Python rule (``owes``, used by the case page) and the
database filter (``owed_by_q``, used by the dashboard) give the same answer for every
kind of ``owed_by`` and every part a person can have in a case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from docket.cases.models import CaseObligation, CaseRole
from docket.cases.obligations import OWED_BY_PARTS, owed_by_q, owes
from docket.demo.reference_live import at as moment
from docket.demo.testing import harbor_case_with_panel
from docket.web.overview import seat_bodies

pytestmark = pytest.mark.django_db

ROLES = sorted({role for parts in OWED_BY_PARTS.values() for role in parts} | {"reporter"})
OWED_BY = [*OWED_BY_PARTS, *ROLES, "holding_body", "body:ndc", "body:sc", "nobody"]


def test_the_python_rule_and_the_database_filter_agree(league: Any) -> None:
    case = harbor_case_with_panel(league, reference="2013-060")
    at = moment("2013-03-12T12:00:00-04:00")  # the NDC of 2013 sits; so do the AC and SC
    for n, owed_by in enumerate(OWED_BY):
        CaseObligation.objects.create(
            case=case, deadline=f"d{n}", clause="s.1", text=owed_by, owed_by=owed_by,
            kind="duty", proceeding=1, started_seq=1, started_at=at, due=at + timedelta(days=1),
            remind_at=at,
        )  # fmt: skip
    # N1 chairs the panel and sits on the NDC, which holds the case; C and R are the
    # parties; W1 has no part until given one below; X1 (AC) and S1 (SC) sit elsewhere.
    people = [league.person(key) for key in ("N1", "N2", "C", "R", "W1", "X1", "S1")]
    checked = 0
    for person in people:
        for extra in [None, *ROLES]:
            if extra is not None:
                CaseRole.objects.get_or_create(case=case, person=person, role=extra)
            parts = set(
                CaseRole.objects.filter(case=case, person=person).values_list("role", flat=True)
            )
            seats = seat_bodies(person, at)
            holds = case.holding_body_id in seats
            expected = {
                o.owed_by
                for o in CaseObligation.objects.filter(case=case)
                if owes(o.owed_by, parts, seats.values(), holds)
            }
            found = set(
                CaseObligation.objects.filter(
                    owed_by_q(person.pk, at, seats), case=case
                ).values_list("owed_by", flat=True)
            )
            assert found == expected, (person.public_id, sorted(parts))
            checked += len(expected)
            CaseRole.objects.filter(case=case, person=person, role=extra).delete()
    assert checked > 100  # the comparison saw many owed obligations, not only refusals
