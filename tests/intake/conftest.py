"""Intake fixtures (defined in docket.intake.testing, shared with the browser tests)."""

from docket.intake.testing import (  # noqa: F401
    bay_city_user,
    intake_fast_hash,
    officer_user,
    officers,
)
