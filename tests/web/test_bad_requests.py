"""Bad requests are 4xx, never 500 (the cases schemathesis found, kept as plain regression tests)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(make_org: Any, make_actor: Any, api_client: Any) -> Any:
    return api_client(make_actor(make_org(), "admin"))


def test_a_nul_character_in_the_query_or_a_text_body_is_a_400(api: Any) -> None:
    assert api.get("/api/vehicles?brand=a%00b").status_code == 400
    answer = api.post("/api/sellers", '{"name": "a\\u0000b"}', content_type="application/json")
    assert answer.status_code == 400
    assert "NUL" in answer.json()["message"]


def test_an_uploaded_file_may_hold_nul_bytes(api: Any) -> None:
    answer = api.post("/api/imports", {"file": SimpleUploadedFile("s.xlsx", b"PK\x03\x04\x00\x00binary")})
    assert answer.status_code != 400


def test_integers_past_64_bits_are_a_422(api: Any) -> None:
    huge = 2**70
    answer = api.post("/api/licences/1/vehicles", {"vehicle_id": huge}, content_type="application/json")
    assert answer.status_code in {404, 422}
    assert api.get(f"/api/vehicles?age_max={huge}").status_code == 422
    assert api.get("/api/vehicles?age_max=2026").status_code == 422


def test_a_value_too_long_for_its_column_is_a_422(api: Any, postgres: None) -> None:
    answer = api.post(
        "/api/sellers", {"name": "张三", "id_number_last4": "x" * 50}, content_type="application/json"
    )
    assert answer.status_code == 422


def test_a_column_name_with_control_characters_is_a_422(api: Any) -> None:
    # Found by schemathesis on PostgreSQL: the table reader failed on it with a 500.
    body = {"vehicle": {"*": {"x": True}, "\x94\x95¬±\x18ø5à4¸ÝÕ𒅀U\x8b@": {"Q": ""}}}
    answer = api.post("/api/screen/vehicle", body, content_type="application/json")
    assert answer.status_code == 422
    assert "control character" in answer.json()["message"]


@pytest.mark.parametrize("path", ["/api/letters", "/api/vehicles", "/api/licences"])
def test_an_offset_past_64_bits_is_a_422(api: Any, path: str) -> None:
    # Found by schemathesis: SQLite answered "datatype mismatch", a 500.
    assert api.get(f"{path}?offset={2**100}&limit=300").status_code == 422
    assert api.get(f"{path}?offset=1000&limit=300").status_code == 200
