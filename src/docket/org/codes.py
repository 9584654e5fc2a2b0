"""Stable error codes of the org services. Tests, the API and the CLI import these."""

from __future__ import annotations

REASON_REQUIRED = "org.reason_required"
NAIVE_DATETIME = "org.naive_datetime"
FIELD_REQUIRED = "org.field_required"
FIELD_INVALID = "org.field_invalid"

ORG_EXISTS = "org.exists"
ORG_MISSING = "org.missing"
ORG_TIME_ZONE_UNKNOWN = "org.time_zone_unknown"

UNIT_KEY_TAKEN = "unit.key_taken"
UNIT_ROOT_EXISTS = "unit.root_exists"
UNIT_ROOT_NOT_NATIONAL = "unit.root_not_national"
UNIT_KIND_ORDER = "unit.kind_order"
UNIT_NOT_FOUND = "unit.not_found"

PERSON_ACCOUNT_TAKEN = "person.account_taken"
PERSON_ALREADY_LINKED = "person.already_linked"
PERSON_PSEUDONYMOUS = "person.pseudonymous"
PERSON_NOT_PSEUDONYMOUS = "person.not_pseudonymous"

MEMBER_ALREADY = "member.already_member"
MEMBER_NUMBER_TAKEN = "member.number_taken"
MEMBER_NOT_A_MEMBER = "member.not_a_member"
MEMBER_NOT_IN_GOOD_STANDING = "member.not_in_good_standing"
MEMBER_HISTORY_ORDER = "member.history_out_of_order"
MEMBER_SAME_UNIT = "member.same_unit"
MEMBER_NOT_CURRENT = "member.not_current"

STANDING_UNKNOWN = "standing.unknown_status"
STANDING_UNCHANGED = "standing.unchanged"
STANDING_SUSPENSION_END = "standing.suspension_needs_end"
STANDING_UNTIL_NOT_ALLOWED = "standing.until_not_allowed"
STANDING_UNTIL_BEFORE_START = "standing.until_before_start"
STANDING_PROCEEDING_NOT_ALLOWED = "standing.proceeding_not_allowed"
STANDING_UNTIL_AND_PROCEEDING = "standing.until_and_proceeding"

OFFICE_PLACE = "office.unit_or_body"
OFFICE_ALREADY_ENDED = "office.already_ended"
OFFICE_END_BEFORE_START = "office.end_before_start"

BODY_KEY_TAKEN = "body.key_taken"
SEAT_NUMBER_TAKEN = "seat.number_taken"

TERM_SEAT_OCCUPIED = "term.seat_occupied"
TERM_PERSON_ON_BODY = "term.person_already_on_body"
TERM_ENDS_BEFORE_START = "term.ends_before_start"
TERM_ALREADY_ENDED = "term.already_ended"
TERM_END_IN_FUTURE = "term.end_in_future"

IMPORT_INVALID = "import.invalid"
