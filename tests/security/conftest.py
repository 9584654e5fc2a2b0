"""Fixtures of the areas the attacks go through."""

from docket.intake.testing import (  # noqa: F401
    bay_city_user,
    intake_fast_hash,
    officer_user,
    officers,
)
