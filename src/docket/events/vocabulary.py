"""Every registered event type, by area. Importing this module registers them all."""

from __future__ import annotations

from docket.events import case, intake, journal, org  # noqa: F401
