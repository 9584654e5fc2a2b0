"""Errors of the ledger, each with a stable code."""

from __future__ import annotations

from docket.core.errors import DocketError, IntegrityFault, InvalidInput


class InvalidStream(InvalidInput):
    code = "ledger.invalid_stream"


class WrongStream(InvalidInput):
    """The event type may not be recorded on this kind of stream."""

    code = "ledger.wrong_stream"


class InvalidEvent(InvalidInput):
    code = "ledger.invalid_event"


class NotInTransaction(DocketError):
    """A programming error: appends must share the caller's transaction."""

    code = "ledger.not_in_transaction"
    status = 500


class LedgerFault(IntegrityFault):
    code = "ledger.fault"


class ReceiptInvalid(InvalidInput):
    """A receipt or exported checkpoint file is malformed or its signature is wrong."""

    code = "ledger.receipt_invalid"
