"""Report pages and the report command: access through the selector, strict CSP, no
identifying data in the transparency report."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from docket.core.clock import frozen_at
from docket.demo.reference_live import at
from docket.reports.synthetic import generate

pytestmark = pytest.mark.django_db
REVIEW = "2019-03-26T10:00:00-04:00"


@pytest.fixture
def sign_in_as(client, make_user):
    def sign_in(person):
        user = make_user()
        person.user = user
        person.save(update_fields=["user"])
        client.force_login(user)
        return client

    return sign_in


def no_inline(html: str) -> None:
    assert " style=" not in html
    assert "<style" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag


def test_case_compliance_page_for_the_review_body(live, league, sign_in_as):
    client = sign_in_as(league.person("S5"))
    with frozen_at(at(REVIEW)):
        url = f"/reports/cases/{live.case.public_id}/compliance"
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Compliance report: case 2013-004" in html
        assert "No violation of the protocol was found." in html
        assert "Handovers of the record (3)" in html
        no_inline(html)
        csp = page.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp
        pdf = client.get(url + ".pdf")
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-")
        overview = client.get("/reports/compliance")
        assert overview.status_code == 200
        assert "2013-004" in overview.content.decode()


@pytest.mark.parametrize("who", ["R", "BC1", "C"])
def test_compliance_page_is_not_found_without_the_full_record(live, league, sign_in_as, who):
    client = sign_in_as(league.person(who))
    with frozen_at(at(REVIEW)):
        url = f"/reports/cases/{live.case.public_id}/compliance"
        assert client.get(url).status_code == 404
        assert client.get(url + ".pdf").status_code == 404
        assert "2013-004" not in client.get("/reports/compliance").content.decode()


def test_pages_need_sign_in(client):
    assert client.get("/reports/transparency").status_code == 302
    assert client.get("/reports/compliance").status_code == 302


def test_transparency_page_csv_and_pdf(protocols, client, make_user):
    generate(3000, seed=11)
    client.force_login(make_user())
    page = client.get("/reports/transparency?from=2021-01-01&to=2021-12-31")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Transparency report" in html
    assert 'role="img"' in html
    assert "<title id=" in html
    assert "S-00" not in html  # no case reference
    no_inline(html)
    assert "fewer than 5" in html or "not shown" in html
    bad = client.get("/reports/transparency?from=2021-13-01&to=x")
    assert "Please give both dates" in bad.content.decode()
    rows = list(csv.reader(io.StringIO(client.get(
        "/reports/transparency.csv?from=2021-01-01&to=2021-12-31").content.decode())))  # fmt: skip
    assert rows[0] == ["table", "row", "column", "value"]
    total = next(r for r in rows if r[:3] == ["received", "all", "total"])
    from docket.cases.models import Case
    from docket.reports.transparency import period_bounds

    lo, hi = period_bounds(date(2021, 1, 1), date(2021, 12, 31), "UTC")
    assert int(total[3]) == Case.objects.filter(received_at__gte=lo, received_at__lt=hi).count()
    pdf = client.get("/reports/transparency.pdf?from=2021-01-01&to=2021-12-31")
    assert pdf.content.startswith(b"%PDF-")


def test_report_command(protocols, tmp_path, capsys):
    generate(2000, seed=5)
    call_command("report", "transparency", "--from", "2021-01-01", "--to", "2021-12-31")
    out = capsys.readouterr().out
    assert "Transparency report 2021-01-01 to 2021-12-31" in out
    assert "received" in out
    call_command("report", "transparency", "--from", "2021-01-01", "--to", "2021-12-31", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "docket-transparency/1"
    target = tmp_path / "t.pdf"
    call_command(
        "report", "transparency", "--from", "2021-01-01", "--to", "2021-12-31", "--pdf",
        str(target),
    )  # fmt: skip
    assert target.read_bytes().startswith(b"%PDF-")
    csv_target = tmp_path / "t.csv"
    call_command(
        "report", "transparency", "--from", "2021-01-01", "--to", "2021-12-31", "--csv",
        str(csv_target),
    )  # fmt: skip
    assert csv_target.read_text().startswith("table,row,column,value")
    with pytest.raises(CommandError):
        call_command("report", "transparency", "--from", "2021-12-31", "--to", "2021-01-01")
