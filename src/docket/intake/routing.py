"""Which protocol intake follows, who the intake officers are, and who may see a report.

The protocol: the setting ``DOCKET_INTAKE_PROTOCOL`` (a protocol id) when set; otherwise
the adopted protocol whose receiving bodies (``actions.receive_complaint.by``, the
``body:<key>`` entries) exist in this organization, the latest version in force today.

Intake officers are the people who hold a seat now in a receiving body. A body that is
not per unit (the League's NDC) sees every report; a per-unit body (a branch executive)
sees the reports addressed to its unit, and the unaddressed ones when the protocol has
no national receiving body. Whoever a report names never sees it, even if they sit on a
receiving body (their member id is matched against the report's blind-index tokens).
Once a case is begun from a report, the people who see that case through a body seat,
a panel or an investigation (not as a party or witness) may read the report as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from docket.cases.models import Case, CaseRole, ProtocolVersion
from docket.cases.protocols import parsed, protocol_in_force
from docket.core import clock
from docket.core.errors import NotFound
from docket.intake.models import IntakeReport, SubjectToken
from docket.org.models import Body, Person, SeatTerm
from docket.protocol.calendar import add_days
from docket.protocol.schema import Protocol

DEFAULT_ACKNOWLEDGE_DAYS = 7
# People who see a case in these roles are never told about repeat subjects of it.
_NOT_TOLD = ("complainant", "respondent", "complainant_advocate", "respondent_advocate",
             "witness", "reporter", "conflicted")  # fmt: skip


class IntakeClosed(NotFound):
    code = "intake.not_configured"


class ReportNotFound(NotFound):
    code = "intake.not_found"


def receiving_bodies(protocol: Protocol) -> list[str]:
    rule = protocol.actions.get("receive_complaint")
    if rule is None:
        return []
    return [c.removeprefix("body:") for c in rule.by if c.startswith("body:")]


def intake_protocol() -> ProtocolVersion:
    """The protocol version intake follows today (see the module docstring)."""
    today = clock.now().date()
    wanted = getattr(settings, "DOCKET_INTAKE_PROTOCOL", "")
    if wanted:
        return protocol_in_force(wanted, today)
    keys = set(Body.objects.values_list("key", flat=True))
    # One query: the latest version of each protocol adopted by today.
    latest: dict[str, ProtocolVersion] = {}
    for version in ProtocolVersion.objects.filter(adopted_on__lte=today).order_by("version"):
        latest[version.protocol_id] = version
    best: tuple[int, str, ProtocolVersion] | None = None
    for protocol_id in sorted(latest):
        version = latest[protocol_id]
        score = len(set(receiving_bodies(parsed(version))) & keys)
        if score and (best is None or score > best[0]):
            best = (score, protocol_id, version)
    if best is None:
        raise IntakeClosed(
            "Reporting is not open yet: no adopted protocol names a body of this organization "
            "that receives complaints.",
        )
    return best[2]


@dataclass(frozen=True)
class Deadline:
    days: int
    calendar: str
    clause: str


def acknowledge_rule(protocol: Protocol) -> Deadline:
    """The protocol's ``acknowledge`` deadline, or 7 calendar days when it has none."""
    rule = protocol.deadlines.get("acknowledge")
    if rule is None:
        return Deadline(DEFAULT_ACKNOWLEDGE_DAYS, "calendar", "")
    return Deadline(rule.days, rule.calendar, rule.clause)


def acknowledge_due(protocol: Protocol, received: datetime) -> datetime:
    rule = acknowledge_rule(protocol)
    return add_days(received, rule.days, rule.calendar, protocol, end_of_day=True)


def _in_term(at: datetime) -> Q:
    return Q(starts_at__lte=at) & (Q(ends_at__isnull=True) | Q(ends_at__gt=at))


def officer_bodies(person: Person | None, at: datetime | None = None) -> list[Body]:
    """The receiving bodies in which ``person`` holds a seat at ``at`` (default now)."""
    seats = _seats(person, at)
    return seats[1] if seats else []


def _seats(person: Person | None, at: datetime | None = None) -> tuple[Protocol, list[Body]] | None:
    """Intake's protocol and the receiving bodies ``person`` sits on, read once."""
    if person is None:
        return None
    at = at or clock.now()
    try:
        protocol = parsed(intake_protocol())
    except NotFound:
        return None
    keys = receiving_bodies(protocol)
    terms = (
        SeatTerm.objects.filter(_in_term(at), person=person, seat__body__key__in=keys)
        .select_related("seat__body__unit")
        .order_by("seat__body__key", "seat__body_id")
    )
    bodies: list[Body] = []
    for term in terms:
        if term.seat.body not in bodies:
            bodies.append(term.seat.body)
    return protocol, bodies


def reports_visible_to(person: Person | None, at: datetime | None = None) -> QuerySet[IntakeReport]:
    """Every report ``person`` may see now as an intake officer (the queue)."""
    seats = _seats(person, at)
    if person is None or seats is None:
        return IntakeReport.objects.none()
    return _reports_for(person, *seats)


def _reports_for(person: Person, protocol: Protocol, bodies: list[Body]) -> QuerySet[IntakeReport]:
    from docket.intake.subjects import person_tokens

    if not bodies:
        return IntakeReport.objects.none()
    per_unit = {k for k, spec in protocol.bodies.items() if spec.per_unit}
    has_national = any(k not in per_unit for k in receiving_bodies(protocol))
    where = Q(pk__in=[])
    for body in bodies:
        if body.key not in per_unit:
            where = Q()
            break
        where |= Q(unit_id=body.unit_id)
        if not has_national:
            where |= Q(unit__isnull=True)
    named = SubjectToken.objects.filter(
        matter_kind="report", matter_id=OuterRef("public_id"), token__in=person_tokens(person)
    )
    return IntakeReport.objects.filter(where).exclude(Exists(named))


@dataclass(frozen=True)
class Waiting:
    """What the intake queue holds for one officer: the reports still open (new or
    acknowledged, not yet turned into a case or closed), and how many of those are past
    their acknowledgement date."""

    open: int
    overdue: int


def waiting_for(
    person: Person | None, at: datetime | None = None, *, seated: bool = True
) -> Waiting | None:
    """The queue's summary for ``person``, or None when they sit on no receiving body
    (the dashboard shows the queue only to intake officers). ``seated=False`` says the
    caller already knows they hold no seat at all, which spares the queries."""
    if not seated:
        return None
    at = at or clock.now()
    seats = _seats(person, at)
    if person is None or seats is None or not seats[1]:
        return None
    still_open = _reports_for(person, *seats).filter(status__in=("new", "acknowledged"))
    counts = still_open.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(status="new", acknowledge_due__lt=at))
    )
    return Waiting(open=counts["open"], overdue=counts["overdue"])


def cases_told_about(person: Person | None) -> QuerySet[Case]:
    """Cases whose repeat-subject notices ``person`` may see: those they see through a
    body, a panel, an investigation or a grant, never as a party, advocate or witness."""
    from docket.access.selectors import visible_cases

    if person is None:
        return Case.objects.none()
    told = CaseRole.objects.filter(case=OuterRef("pk"), person=person, role__in=_NOT_TOLD)
    return visible_cases(person).exclude(Exists(told))


@dataclass(frozen=True)
class ReportAccess:
    report: IntakeReport
    body: Body | None  # the receiving body the person acts for; None: through the case
    capacity: str


def report_for(person: Person | None, public_id: str) -> ReportAccess:
    """The report and how ``person`` may see it, or NotFound (the same answer for a report
    that exists but may not be seen)."""
    if person is not None:
        report = reports_visible_to(person).filter(public_id=public_id).first()
        if report is not None:
            body = _acting_body(person, report)
            return ReportAccess(report, body, f"body:{body.key}")
        report = IntakeReport.objects.filter(public_id=public_id).exclude(case_public_id="").first()
        if (
            report is not None
            and cases_told_about(person).filter(public_id=report.case_public_id).exists()
        ):
            return ReportAccess(report, None, "case")
    raise ReportNotFound("No such report.")


def _acting_body(person: Person, report: IntakeReport) -> Body:
    bodies = officer_bodies(person)
    for body in bodies:
        if body.unit_id == report.unit_id:
            return body
    protocol = parsed(intake_protocol())
    national = [b for b in bodies if not protocol.bodies[b.key].per_unit]
    return (national or bodies)[0]
