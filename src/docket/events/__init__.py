"""The registered vocabulary of ledger event types (pure: no Django import).

Every event appended to a ledger has a type registered here with a pydantic model of
its payload. The ledger refuses unknown types and payloads that do not validate; the
protocol engine reads the same payloads. ``docs/events.md`` is generated from it.
"""
