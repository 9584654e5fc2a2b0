"""``docket worker`` and the notice pages."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from docket.core.clock import frozen_at
from docket.demo.reference_live import at
from docket.demo.testing import complaint
from docket.ledger.models import Checkpoint
from docket.notify.models import Notice, NoticeKind, NoticePreference
from docket.notify.services import mode_of, preference_set
from docket.org.models import SeatTerm


def _worker(*args: str) -> str:
    out = StringIO()
    call_command("worker", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_dry_run_queues_and_runs_nothing(league):
    before = (DBTaskResult.objects.count(), Checkpoint.objects.count())
    out = _worker("--dry-run")
    assert "docket.ledger.tasks.checkpoint_make" in out
    assert "Nothing was changed." in out
    assert (DBTaskResult.objects.count(), Checkpoint.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_once_runs_every_periodic_job(league):
    # 2016: the Appeals Committee's and the NDC's terms have run their course.
    with frozen_at(at("2016-02-01T12:00:00-05:00")):
        assert SeatTerm.objects.filter(
            closed_at__isnull=True, ends_at__lte=at("2016-02-01")
        ).exists()
        out = _worker("--once")
    assert "Queued 6 periodic jobs" in out
    assert not SeatTerm.objects.filter(
        closed_at__isnull=True, ends_at__lte=at("2016-02-01T12:00:00-05:00")
    ).exists()
    assert Checkpoint.objects.count() == 1
    statuses = set(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == {"SUCCESSFUL"}
    # Nothing moved since: a second pass makes no new checkpoint.
    with frozen_at(at("2016-02-01T13:00:00-05:00")):
        _worker("--once")
    assert Checkpoint.objects.count() == 1


def _notice(league: Any, key: str, case: Any, kind: str = NoticeKind.ACTION_DUE) -> Notice:
    return Notice.objects.create(
        person=league.person(key),
        case=case,
        kind=kind,
        dedupe_key="test",
        path=f"/cases/{case.public_id}/",
        created_at=at("2013-03-05T12:00:00-05:00"),
    )


@pytest.fixture
def case(league: Any) -> Any:
    with frozen_at(at("2013-03-04T19:00:00-05:00")):
        return complaint(league, allegation="Code of Conduct s.2", allegation_text="Allegation.")


@pytest.mark.django_db
def test_my_notices_lists_only_mine_and_only_cases_i_see(client, league, case):
    mine = _notice(league, "R", case)
    _notice(league, "B1", case)
    client.force_login(league.person("R").user)
    response = client.get(reverse("notify:list"))
    assert response.status_code == 200
    assert list(response.context["notices"]) == [mine]
    assert "Something waits for you" in response.content.decode()
    # A case the person may not see is left out (BC1 has a stray notice about it).
    _notice(league, "BC1", case)
    client.force_login(league.person("BC1").user)
    response = client.get(reverse("notify:list"))
    assert list(response.context["notices"]) == []
    assert case.public_id not in response.content.decode()


@pytest.mark.django_db
def test_choose_a_daily_summary(client, league):
    R = league.person("R")
    client.force_login(R.user)
    page = client.get(reverse("notify:preferences"))
    assert page.status_code == 200
    assert 'value="immediate"' in page.content.decode()
    response = client.post(reverse("notify:preferences"), {"mode": "digest"})
    assert response.status_code == 302
    assert mode_of(R) == "digest"
    # Bad input: a clear error, nothing changed.
    response = client.post(reverse("notify:preferences"), {"mode": "hourly"})
    assert response.status_code == 200
    assert response.context["form"].errors["mode"]
    assert mode_of(R) == "digest"


@pytest.mark.django_db
def test_pages_need_sign_in(client):
    for name in ("notify:list", "notify:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_preference_service_refuses_unknown_modes(league):
    from docket.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        preference_set(person=league.person("R"), mode="weekly")
    assert refused.value.code == "notify.mode_invalid"
    assert not NoticePreference.objects.exists()
