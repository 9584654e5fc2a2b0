"""Org services: one typed, keyword-only function per action, each one transaction that
validates, appends a ledger event (who, in which capacity, why) and writes the rows."""

from docket.org.services.body import body_create
from docket.org.services.member import member_admit, member_admit_new, member_transfer
from docket.org.services.office import member_office_begin, member_office_end
from docket.org.services.organization import organization_create
from docket.org.services.person import (
    person_create,
    person_identity_recorded,
    person_link_account,
    person_rename,
)
from docket.org.services.seat import seat_create, seat_term_begin, seat_term_end, seat_terms_expire
from docket.org.services.standing import member_standing_change
from docket.org.services.unit import unit_create

__all__ = [
    "body_create",
    "member_admit",
    "member_admit_new",
    "member_office_begin",
    "member_office_end",
    "member_standing_change",
    "member_transfer",
    "organization_create",
    "person_create",
    "person_identity_recorded",
    "person_link_account",
    "person_rename",
    "seat_create",
    "seat_term_begin",
    "seat_term_end",
    "seat_terms_expire",
    "unit_create",
]
