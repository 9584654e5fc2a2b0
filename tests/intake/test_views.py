"""Intake pages through Django's test client: thin views over the services."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from docket.cases.models import Case
from docket.intake.models import IntakeReport

pytestmark = pytest.mark.django_db

FORM = {
    "reporter_role": "witness",
    "subject_name": "Robin Hale",
    "subject_number": "",
    "subject_description": "",
    "unit": "",
    "what": "I saw him shove a volunteer.",
    "when": "Friday",
    "where": "The office",
    "wants": "formal",
    "contact": "this_page",
    "reporter_name": "",
    "contact_details": "",
}


def _code(response) -> str:
    found = re.search(r'data-testid="receipt-code">([0-9A-Z-]+)<', response.content.decode())
    assert found
    return found.group(1)


def _clean(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_form_lists_no_members(client, officers):
    response = client.get(reverse("intake:report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Robin Hale" not in html
    assert "L-1043" not in html
    assert "Harbor branch" in html  # units are public; people are not
    assert "National Disciplinary Committee" in html  # who will see it


def test_report_then_follow_then_message(client, officers):
    response = client.post(reverse("intake:report"), FORM, REMOTE_ADDR="198.51.100.1", follow=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = _code(response)
    assert code not in str(client.session.items())
    response = client.post(reverse("intake:follow"), {"code": code})
    assert response.status_code == 302
    page = client.get(reverse("intake:reporter_report"))
    assert "I saw him shove a volunteer." in page.content.decode()
    client.post(reverse("intake:reporter_message"), {"text": "Are you there?"})
    page = client.get(reverse("intake:reporter_report"))
    assert "Are you there?" in page.content.decode()
    client.post(reverse("intake:reporter_leave"))
    assert client.get(reverse("intake:reporter_report")).status_code == 302


def test_bad_form_keeps_nothing(client, officers):
    response = client.post(reverse("intake:report"), {**FORM, "what": ""})
    assert response.status_code == 400
    assert IntakeReport.objects.count() == 0
    response = client.post(reverse("intake:report"), {**FORM, "subject_name": ""})
    assert response.status_code == 400
    assert "who they are" in response.content.decode()
    assert IntakeReport.objects.count() == 0


def test_a_report_about_someone_whose_name_the_reporter_does_not_know(client, officers):
    # The name's help says to leave it empty when unknown: a description is enough.
    unnamed = {**FORM, "subject_name": "", "subject_description": "The man at the bar"}
    response = client.post(reverse("intake:report"), unnamed, follow=True)
    assert response.status_code == 200
    assert IntakeReport.objects.count() == 1


def test_refreshing_the_receipt_page_never_files_again(client, officers):
    posted = client.post(reverse("intake:report"), FORM)
    assert posted.status_code == 302
    assert posted["Location"] == reverse("intake:received")
    first = client.get(posted["Location"])
    code = _code(first)
    # The code crossed the redirect sealed; neither the session nor a cookie holds it.
    assert code not in str(client.session.items())
    assert all(code not in morsel.value for morsel in client.cookies.values())
    again = client.get(posted["Location"])
    assert again.status_code == 200
    assert code not in again.content.decode()
    assert 'data-testid="receipt-shown"' in again.content.decode()
    assert IntakeReport.objects.count() == 1
    # Without a hand-over, the receipt page sends people to the form.
    fresh = client.__class__()
    assert fresh.get(reverse("intake:received"))["Location"] == reverse("intake:report")


def test_the_sealed_code_is_useless_without_the_browser_s_key(client, officers):
    from docket.intake import handoff

    client.post(reverse("intake:report"), FORM)
    client.cookies.pop(handoff.COOKIE)  # a copy of the database alone, without the cookie
    page = client.get(reverse("intake:received"))
    assert 'data-testid="receipt-code"' not in page.content.decode()
    assert 'data-testid="receipt-shown"' in page.content.decode()


def test_refused_submissions_do_not_count_against_the_limit(client, officers, settings):
    settings.DOCKET_INTAKE_RATE_LIMITS = {"report": (2, 3600)}
    address = "198.51.100.200"
    for _ in range(4):  # refused: no description of what happened
        bad = client.post(reverse("intake:report"), {**FORM, "what": ""}, REMOTE_ADDR=address)
        assert bad.status_code == 400
    for _ in range(2):
        sent = client.post(reverse("intake:report"), FORM, REMOTE_ADDR=address)
        assert sent.status_code == 302
    third = client.post(reverse("intake:report"), FORM, REMOTE_ADDR=address)
    assert third.status_code == 429
    assert IntakeReport.objects.count() == 2


def test_wrong_and_missing_codes_read_the_same(client, officers):
    code = _code(client.post(reverse("intake:report"), FORM, follow=True))
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    a = client.post(reverse("intake:follow"), {"code": wrong}, REMOTE_ADDR="192.0.2.1")
    b = client.post(
        reverse("intake:follow"), {"code": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"}, REMOTE_ADDR="192.0.2.2"
    )
    assert a.status_code == b.status_code == 400
    assert _clean(a).replace(wrong, "X") == _clean(b).replace("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", "X")


def test_rate_limit_answers_429(client, officers, settings):
    settings.DOCKET_INTAKE_RATE_LIMITS = {"follow_ip": (2, 900)}
    for _ in range(2):
        client.post(reverse("intake:follow"), {"code": "nothing"}, REMOTE_ADDR="192.0.2.77")
    response = client.post(reverse("intake:follow"), {"code": "x"}, REMOTE_ADDR="192.0.2.77")
    assert response.status_code == 429
    assert response["Retry-After"]


def test_officer_triage_from_the_pages(client, officers, officer_user, bay_city_user):
    client.post(reverse("intake:report"), FORM)
    report = IntakeReport.objects.get()
    url = reverse("intake:officer_report", args=[report.public_id])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(bay_city_user)
    assert client.get(url).status_code == 404  # not theirs: as if it did not exist
    assert client.get(reverse("intake:queue")).status_code == 200
    client.force_login(officer_user)
    queue = client.get(reverse("intake:queue"))
    assert url in queue.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "Robin Hale (L-1043)" in page.content.decode()  # matched by name, to confirm
    client.post(reverse("intake:acknowledge", args=[report.public_id]))
    assert IntakeReport.objects.get().status == "acknowledged"
    bad = client.post(
        reverse("intake:convert", args=[report.public_id]),
        {"respondent_number": "L-9999", "category": "c", "rule": "r"},
    )
    assert bad.status_code == 400
    assert Case.objects.count() == 0
    done = client.post(
        reverse("intake:convert", args=[report.public_id]),
        {"respondent_number": "L-1043", "category": "conduct", "rule": "Code s.2", "summary": ""},
    )
    assert done.status_code == 302
    assert IntakeReport.objects.get().status == "converted"
    assert Case.objects.get().public_id == IntakeReport.objects.get().case_public_id


def test_queue_and_report_pages_use_a_bounded_number_of_queries(
    client, officers, officer_user, django_assert_max_num_queries
):
    for n in range(6):
        client.post(reverse("intake:report"), FORM, REMOTE_ADDR=f"198.51.100.{n}")
    client.force_login(officer_user)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("intake:queue")).status_code == 200
    report = IntakeReport.objects.first()
    with django_assert_max_num_queries(40):
        assert (
            client.get(reverse("intake:officer_report", args=[report.public_id])).status_code == 200
        )


def test_reporter_adds_a_file_and_the_officer_downloads_it(client, officers, officer_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    code = _code(client.post(reverse("intake:report"), FORM, follow=True))
    client.post(reverse("intake:follow"), {"code": code})
    upload = SimpleUploadedFile("notes.txt", b"Times and places I wrote down.", "text/plain")
    assert client.post(reverse("intake:reporter_material"), {"file": upload}).status_code == 302
    page = client.get(reverse("intake:reporter_report")).content.decode()
    assert "A file added on" in page
    bad = SimpleUploadedFile("x.html", b"<html><script>alert(1)</script></html>", "text/html")
    assert client.post(reverse("intake:reporter_material"), {"file": bad}).status_code == 400
    report = IntakeReport.objects.get()
    client.force_login(officer_user)
    detail = client.get(reverse("intake:officer_report", args=[report.public_id])).content.decode()
    item = re.search(r"/file/([0-9A-Z]+)/", detail).group(1)
    response = client.get(reverse("intake:material", args=[report.public_id, item]))
    assert b"".join(response.streaming_content) == b"Times and places I wrote down."
    assert response["Content-Disposition"].startswith("attachment")
