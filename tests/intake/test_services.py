"""Intake services: report, receipt, messages, triage, repeat subjects."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from docket.access.selectors import case_for
from docket.cases.models import Case
from docket.core.clock import frozen_at
from docket.core.errors import InvalidInput
from docket.intake import services as s
from docket.intake.models import IntakeReport, RepeatNotice
from docket.intake.ratelimit import RateLimited
from docket.intake.routing import ReportNotFound, report_for, reports_visible_to
from docket.intake.subjects import notices_about, notices_for
from docket.ledger.selectors import stream_events

pytestmark = pytest.mark.django_db


def submit(**over):
    fields = dict(
        client="198.51.100.7",
        reporter_role="affected",
        what="MARKER-7Q He pushed me against the wall at the picnic.",
        wants="formal",
        contact="this_page",
        subject_name="Robin Hale",
        when="Last Saturday afternoon",
        where="Harbor park",
    )
    fields.update(over)
    return s.report_submit(**fields)


def test_anonymous_report_returns_a_code_that_opens_it(officers):
    done = submit()
    report = done.report
    assert report.anonymous
    assert report.status == "new"
    assert s.receipt_check(code=done.code, client="203.0.113.1") == report.public_id
    # Forgiving input: lower case, spaces instead of dashes.
    sloppy = done.code.lower().replace("-", " ")
    assert s.receipt_check(code=sloppy, client="203.0.113.1") == report.public_id
    types = [e.type for e in stream_events(report.stream)]
    assert types == ["report.received"]
    event = stream_events(report.stream)[0]
    assert "MARKER" not in str(event.payload)
    assert "Robin" not in str(event.payload)
    assert event.actor == f"reporter:{report.public_id}"


def test_wrong_and_missing_codes_get_the_same_answer(officers):
    done = submit()
    wrong = done.code[:-1] + ("0" if done.code[-1] != "0" else "1")
    errors = []
    for code in (wrong, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", "nonsense"):
        with pytest.raises(s.ReceiptUnknown) as exc:
            s.receipt_check(code=code, client=f"203.0.113.{len(errors) + 10}")
        errors.append((exc.value.code, exc.value.message, exc.value.status))
    assert len(set(errors)) == 1


def test_code_attempts_are_rate_limited_per_address_and_per_code(officers, settings):
    settings.DOCKET_INTAKE_RATE_LIMITS = {"follow_ip": (3, 900), "follow_receipt": (100, 900)}
    done = submit()
    for _ in range(3):
        with pytest.raises(s.ReceiptUnknown):
            s.receipt_check(code="AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", client="192.0.2.9")
    # Even the right code is refused from that address now; another address is fine.
    with pytest.raises(RateLimited):
        s.receipt_check(code=done.code, client="192.0.2.9")
    assert s.receipt_check(code=done.code, client="192.0.2.10") == done.report.public_id
    settings.DOCKET_INTAKE_RATE_LIMITS = {"follow_ip": (100, 900), "follow_receipt": (3, 900)}
    # Guesses at the rest of one code (same first ten symbols) from many addresses.
    guess = done.code[:12] + "00000-00000-00000"
    for n in range(2):
        with pytest.raises(s.ReceiptUnknown):
            s.receipt_check(code=guess, client=f"192.0.2.{20 + n}")
    with pytest.raises(RateLimited):
        s.receipt_check(code=done.code, client="192.0.2.30")


def test_reports_per_address_are_rate_limited(officers, settings):
    settings.DOCKET_INTAKE_RATE_LIMITS = {"report": (2, 3600)}
    submit(client="192.0.2.50")
    submit(client="192.0.2.50")
    with pytest.raises(RateLimited):
        submit(client="192.0.2.50")
    assert IntakeReport.objects.count() == 2
    submit(client="192.0.2.51")


def test_bad_input_changes_nothing(officers):
    with pytest.raises(InvalidInput) as exc:
        submit(what="   ")
    assert exc.value.data["field"] == "what"
    with pytest.raises(InvalidInput):
        submit(subject_name="", subject_number="", subject_description="")
    with pytest.raises(InvalidInput):
        submit(wants="revenge")
    with pytest.raises(InvalidInput):
        submit(contact="email", contact_details="")
    with pytest.raises(InvalidInput) as exc:
        submit(what="x" * 20_001)
    assert exc.value.code == "input.too_long"
    assert IntakeReport.objects.count() == 0


def test_officers_see_only_what_they_may(officers):
    league = officers.league
    harbor_report = submit(subject_number="L-1043", subject_name="").report  # R, Harbor
    bay_report = submit(
        subject_name="", subject_number="", subject_description="Someone", client="x"
    ).report
    assert harbor_report.unit == league.units["harbor"]
    assert bay_report.unit is None
    assert set(reports_visible_to(officers.ndc)) == {harbor_report, bay_report}
    assert set(reports_visible_to(officers.harbor)) == {harbor_report}
    assert set(reports_visible_to(officers.bay_city)) == set()
    assert set(reports_visible_to(officers.sc)) == set()
    with pytest.raises(ReportNotFound):
        report_for(officers.bay_city, harbor_report.public_id)
    with pytest.raises(ReportNotFound):
        report_for(officers.bay_city, "NOSUCHREPORT0000")


def test_a_person_named_never_sees_the_report_about_them(officers):
    # Tess Marlow sits on the Harbor executive; a report names her.
    report = submit(subject_name="Marlow, Tess", unit=officers.league.units["harbor"]).report
    assert report not in reports_visible_to(officers.harbor)
    assert report in reports_visible_to(officers.ndc)


def test_messages_both_ways_are_sealed_and_journaled(officers):
    from docket.ledger.models import JournalEntry

    done = submit()
    rid = done.report.public_id
    s.reporter_message_send(report=rid, text="Can I talk to someone?")
    assert IntakeReport.objects.get(public_id=rid).awaiting_officers
    _access, view = s.officer_view(by=officers.ndc, report=rid)
    assert view.document["what"].startswith("MARKER-7Q")
    assert view.document["subject"]["matched_by"] == "name"
    assert [m.text for m in view.messages] == ["Can I talk to someone?"]
    s.officer_message_send(by=officers.ndc, report=rid, text="Yes. We can call you Monday.")
    row = IntakeReport.objects.get(public_id=rid)
    assert row.status == "acknowledged"
    assert not row.awaiting_officers
    mine = s.reporter_view(report=rid)
    assert [m.direction for m in mine.messages] == ["to_officers", "to_reporter"]
    readers = set(JournalEntry.objects.filter(stream=row.stream).values_list("reader", flat=True))
    assert readers == {officers.ndc.public_id, f"reporter:{rid}"}


def test_officer_opens_a_case_from_the_report(officers):
    league = officers.league
    done = submit()
    rid = done.report.public_id
    case = s.report_convert(
        by=officers.ndc,
        report=rid,
        respondent=league.person("R"),
        category="physical misconduct",
        rule="Code of Conduct s.2",
        summary="Pushed the reporter at the picnic.",
    )
    received = stream_events(case.stream)[0]
    assert received.type == "complaint.received"
    assert received.payload["intake_report"] == rid
    assert received.payload["channel"] == "anonymous"
    assert case.protocol.protocol_id == "league-disciplinary"
    row = IntakeReport.objects.get(public_id=rid)
    assert row.status == "converted"
    assert row.case_public_id == case.public_id
    assert case_for(officers.ndc, case.public_id).full_record
    assert [e.type for e in stream_events(row.stream)][-1] == "report.converted"
    with pytest.raises(s.ReportClosed):
        s.report_decline(by=officers.ndc, report=rid, reasons="Too late")
    # The report's own case is not "another matter".
    assert notices_about(officers.ndc, "report", rid) == []


def test_record_only_needs_the_reporters_consent(officers):
    league = officers.league
    done = submit(wants="record_only")
    rid = done.report.public_id
    with pytest.raises(s.RecordOnly):
        s.report_convert(by=officers.ndc, report=rid, respondent=league.person("R"),
                         category="c", rule="r")  # fmt: skip
    assert Case.objects.count() == 0
    s.report_make_formal(report=rid)
    case = s.report_convert(by=officers.ndc, report=rid, respondent=league.person("R"),
                            category="c", rule="r")  # fmt: skip
    assert case.public_id


def test_decline_with_reasons_the_reporter_reads(officers):
    done = submit()
    rid = done.report.public_id
    with pytest.raises(ReportNotFound):
        s.report_decline(by=officers.bay_city, report=rid, reasons="no")
    s.report_decline(by=officers.ndc, report=rid, reasons="The person named is not a member.")
    view = s.reporter_view(report=rid)
    assert view.report.status == "declined"
    assert view.declined_reasons == "The person named is not a member."


def test_repeat_subject_notice_for_reports_and_cases(officers, django_capture_on_commit_callbacks):
    from docket.demo.reference_live import run_reference_case

    league = officers.league
    with django_capture_on_commit_callbacks(execute=True):
        run = run_reference_case(league)
    # A new report names R by member number; R is the respondent of 2013-004.
    first = submit(subject_name="", subject_number="l-1043").report
    notices = RepeatNotice.objects.filter(matter_id=first.public_id)
    assert {(n.other_kind, n.other_id) for n in notices} == {("case", run.case.public_id)}
    # The intake officer is told, without a link: they may not open 2013-004.
    told = notices_about(officers.ndc, "report", first.public_id)
    assert len(told) == 1
    assert told[0].other.kind == "case"
    assert told[0].other.url is None
    # The body that holds the case (the 2019 review: the SC) is told, with no way into
    # the report. R, a party, is never told.
    with frozen_at(datetime(2019, 3, 27, 12, tzinfo=UTC)):
        sc_view = notices_for(league.person("S5"))
    assert [(n.this.kind, n.other.kind, n.other.url) for n in sc_view] == [("case", "report", None)]
    assert notices_for(league.person("R")) == []
    # A second report by name only is linked to the first, and the officer may open it.
    second = submit(subject_name="robin   HALE", client="other").report
    told = notices_about(officers.ndc, "report", second.public_id)
    kinds = sorted((n.other.kind, bool(n.other.url)) for n in told)
    assert kinds == [("case", False), ("report", True)]


def test_content_is_not_in_the_database_or_the_store_in_clear(officers, settings):
    from django.db import connection

    from docket.crypto.uploads import PreparedEvidence

    big = PreparedEvidence(
        b"ZEBRA-MARKER-991 " + b"y" * 70_000, "text/plain; charset=utf-8", "n.txt"
    )
    done = submit(what="ZEBRA-MARKER-991 happened", attachments=[big])  # large: in the store
    s.reporter_message_send(report=done.report.public_id, text="ZEBRA-MARKER-991 again")
    s.officer_message_send(by=officers.ndc, report=done.report.public_id, text="ZEBRA-MARKER-991")
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            assert "ZEBRA-MARKER" not in repr(cursor.fetchall()), table
    files = [p for p in settings.DOCKET_CONTENT_DIR.rglob("*") if p.is_file()]
    assert files  # the attachment went to the store
    for path in files:
        assert b"ZEBRA-MARKER" not in path.read_bytes()


def test_report_rows_rebuild_from_the_ledger(officers):
    from docket.ledger.projections import rebuild_all

    done = submit()
    rid = done.report.public_id
    s.reporter_message_send(report=rid, text="hello")
    s.report_acknowledge(by=officers.ndc, report=rid)
    assert rebuild_all(write=False, only=["intake.reports"]) == []
    IntakeReport.objects.filter(public_id=rid).update(status="declined", awaiting_officers=False)
    differences = rebuild_all(write=True, only=["intake.reports"])
    assert [d.stream for d in differences] == [f"intake:{rid}"]
    row = IntakeReport.objects.get(public_id=rid)
    assert row.status == "acknowledged"
    assert row.awaiting_officers
    assert rebuild_all(write=False, only=["intake.reports"]) == []


def test_reindex_command_finds_cases_made_before_the_index(officers):
    from io import StringIO

    from django.core.management import call_command

    from docket.demo.reference_live import run_reference_case

    run = run_reference_case(officers.league)  # listeners do not run: no commit here
    report = submit(subject_number="L-1043", subject_name="").report
    assert not RepeatNotice.objects.filter(other_id=run.case.public_id).exists()
    out = StringIO()
    call_command("intake", "reindex", "--dry-run", stdout=out)
    assert "1 new repeat-subject notice" in out.getvalue()
    assert not RepeatNotice.objects.filter(matter_id=run.case.public_id).exists()
    call_command("intake", "reindex", stdout=out)
    notice = RepeatNotice.objects.get(matter_id=run.case.public_id)
    assert (notice.other_kind, notice.other_id) == ("report", report.public_id)
    call_command("intake", "queue", stdout=out)
    assert "open reports: 1" in out.getvalue()
