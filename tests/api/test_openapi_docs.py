"""The OpenAPI document, and the documentation page under the site's strict CSP."""

from __future__ import annotations

import re

import pytest

from docket.cases import services

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_one_action_per_case_service(client):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    doc = answer.json()
    operations = {op["operationId"] for path in doc["paths"].values() for op in path.values()}
    actions = {name for name in services.__all__ if name[0].islower()}
    assert actions <= operations
    assert doc["components"]["securitySchemes"]  # bearer tokens
    vote = doc["paths"]["/api/v1/cases/{case_id}/actions/vote-open"]["post"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(vote["responses"])


def test_the_docs_page_works_under_the_strict_csp(client):
    answer = client.get("/api/v1/docs")
    assert answer.status_code == 200
    csp = answer["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    html = answer.content.decode()
    # Nothing is fetched from elsewhere (the docs page's default is a CDN).
    assert not re.findall(r'(?:src|href)=["\']?(?:https?:)?//', html)
    assert 'style="' not in html
    # Every script is same-origin by src, or a JSON data block (not executed).
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/api/v1/docs/assets/' in tag or 'type="application/json"' in tag
    for src in re.findall(r'(?:src|href)="(/api/v1/docs/assets/[^"]+)"', html):
        asset = client.get(src)
        assert asset.status_code == 200
        assert asset["X-Content-Type-Options"] == "nosniff"


def test_only_the_known_assets_are_served(client):
    assert client.get("/api/v1/docs/assets/..%2Fmain.py").status_code == 404
    assert client.get("/api/v1/docs/assets/redoc.standalone.js.map").status_code == 404


def test_the_openapi_document_has_no_duplicate_keys(client):
    # Python's json keeps the last of two equal keys; Swagger UI (YAML) refuses the file.
    import json

    duplicates = []

    def pairs(items):
        keys = [k for k, _ in items]
        duplicates.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(items)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=pairs)
    assert duplicates == []
