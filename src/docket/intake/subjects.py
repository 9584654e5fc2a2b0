"""Repeat subjects: telling the right people that a person is named in another matter.

Each report and each case puts keyed hashes of the people it names into
``SubjectToken`` (``blind_index.subject_tokens``: the member id when the person is a
known member, and each name given). When a newer matter shares a token with an earlier
one, a ``RepeatNotice`` records the pair. The notice says only "this person is named in
another matter"; each side links to the other only for someone who may open it:
reports through ``routing.report_for`` (the intake officers), cases through the case
selector (``visible_cases``), and then only for those who see the case through a body,
a panel, an investigation or a grant, never for a party, an advocate or a witness.

Cases are indexed by a listener on case events (``complaint.received``), after commit;
``docket intake reindex`` rebuilds the index of every case (idempotent).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from docket.cases.models import Case, CaseRole
from docket.core import clock
from docket.intake.blind_index import subject_tokens
from docket.intake.models import IntakeReport, RepeatNotice, SubjectToken
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

log = logging.getLogger(__name__)


def index_matter(
    kind: str, ident: str, tokens: Iterable[str], *, unrelated_to: Iterable[tuple[str, str]] = ()
) -> list[RepeatNotice]:
    """Record the tokens of a matter and a notice for each earlier matter sharing one.

    ``unrelated_to``: matters that are this one's own origin (the report a case was begun
    from), which are not "another matter"."""
    tokens = set(tokens)
    if not tokens:
        return []
    now = clock.now()
    skip = {(kind, ident), *unrelated_to}
    with transaction.atomic():
        others = {
            (k, i)
            for k, i in SubjectToken.objects.filter(token__in=tokens).values_list(
                "matter_kind", "matter_id"
            )
            if (k, i) not in skip
        }
        SubjectToken.objects.bulk_create(
            [
                SubjectToken(token=t, matter_kind=kind, matter_id=ident, created_at=now)
                for t in sorted(tokens)
            ],
            ignore_conflicts=True,
        )
        known = set(
            RepeatNotice.objects.filter(
                Q(matter_kind=kind, matter_id=ident) | Q(other_kind=kind, other_id=ident)
            ).values_list("matter_kind", "matter_id", "other_kind", "other_id")
        )
        fresh = [
            RepeatNotice(
                matter_kind=kind, matter_id=ident, other_kind=k, other_id=i, created_at=now
            )
            for k, i in sorted(others)
            if (kind, ident, k, i) not in known and (k, i, kind, ident) not in known
        ]
        RepeatNotice.objects.bulk_create(fresh, ignore_conflicts=True)
    return fresh


def person_tokens(person: Person) -> set[str]:
    member = person.public_id if hasattr(person, "membership") else None
    names = () if person.pseudonymous else (person.display_name,)
    return subject_tokens(member=member, names=names)


def index_case(case: Case) -> list[RepeatNotice]:
    """Index the respondents of a case (idempotent)."""
    tokens: set[str] = set()
    people = Person.objects.filter(
        case_roles__case=case, case_roles__role=CaseRole.Role.RESPONDENT
    ).select_related("membership")
    for person in people:
        tokens |= person_tokens(person)
    first = (
        LedgerEvent.objects.filter(stream=case.stream, type="complaint.received")
        .order_by("seq")
        .first()
    )
    origin = (first.payload or {}).get("intake_report") if first is not None else None
    unrelated = [("report", str(origin))] if origin else []
    return index_matter("case", case.public_id, tokens, unrelated_to=unrelated)


def on_case_event(case: Case, event: LedgerEvent) -> None:
    """Listener (``docket.cases.acting.on_case_event``): index a case when received."""
    if event.type != "complaint.received":
        return
    try:
        index_case(case)
    except Exception:  # the case is committed; a failed index is rebuilt by `reindex`
        log.exception("repeat-subject indexing failed for case %s", case.public_id)


def reindex_cases() -> int:
    notices = 0
    for case in Case.objects.all():
        notices += len(index_case(case))
    return notices


# --- who is told ------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    kind: str  # "report" or "case"
    ident: str
    label: str
    url: str | None  # None: the viewer may not open it


@dataclass(frozen=True)
class NoticeView:
    created_at: datetime
    this: Side
    other: Side


def case_url(public_id: str) -> str | None:
    for name in ("web:case", "web:case_detail", "cases:detail"):
        try:
            return reverse(name, args=[public_id])
        except NoReverseMatch:
            continue
    return None


class _Viewer:
    def __init__(self, person: Person | None) -> None:
        from docket.intake.routing import cases_told_about, reports_visible_to

        self.person = person
        self.reports = set(reports_visible_to(person).values_list("public_id", flat=True))
        self.cases = {
            pid: ref or pid
            for pid, ref in cases_told_about(person).values_list("public_id", "reference")
        }
        # Reports begun into a case the viewer is told about are theirs to open too.
        self.reports |= set(
            IntakeReport.objects.filter(case_public_id__in=list(self.cases)).values_list(
                "public_id", flat=True
            )
        )

    def side(self, kind: str, ident: str) -> Side:
        if kind == "case":
            if ident in self.cases:
                ref = self.cases[ident]
                url = case_url(ident)
                return Side(kind, ident, ref, url)
            return Side(kind, ident, "", None)
        if ident in self.reports:
            return Side(kind, ident, ident, reverse("intake:officer_report", args=[ident]))
        return Side(kind, ident, "", None)

    def sees(self, kind: str, ident: str) -> bool:
        return ident in (self.cases if kind == "case" else self.reports)


def _views(
    viewer: _Viewer, rows: Iterable[RepeatNotice], anchor: tuple[str, str] | None
) -> list[NoticeView]:
    out: list[NoticeView] = []
    for n in rows:
        a, b = (n.matter_kind, n.matter_id), (n.other_kind, n.other_id)
        if anchor is not None and b == anchor:
            a, b = b, a
        if anchor is None and not viewer.sees(*a):
            a, b = b, a
        if not viewer.sees(*a) and not viewer.sees(*b):
            continue
        out.append(NoticeView(n.created_at, viewer.side(*a), viewer.side(*b)))
    return out


def notices_for(person: Person | None) -> list[NoticeView]:
    """Every repeat-subject notice ``person`` is told about, newest first."""
    viewer = _Viewer(person)
    if not viewer.reports and not viewer.cases:
        return []
    q = Q(pk__in=[])
    for kind, ids in (("report", viewer.reports), ("case", set(viewer.cases))):
        if ids:
            q |= Q(matter_kind=kind, matter_id__in=ids) | Q(other_kind=kind, other_id__in=ids)
    return _views(viewer, RepeatNotice.objects.filter(q), None)


def notices_about(person: Person | None, kind: str, ident: str) -> list[NoticeView]:
    """The notices of one matter, as ``person`` may see them (``this`` is that matter)."""
    viewer = _Viewer(person)
    if not viewer.sees(kind, ident):
        return []
    rows = RepeatNotice.objects.filter(
        Q(matter_kind=kind, matter_id=ident) | Q(other_kind=kind, other_id=ident)
    )
    return _views(viewer, rows, (kind, ident))
