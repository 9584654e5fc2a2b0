"""The case tests use the shared fixtures `keys`, `protocols` and `league` from
docket.demo.testing (registered in tests/conftest.py)."""
