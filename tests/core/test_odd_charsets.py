"""A form body with an unknown or non-text charset is never a server error (page, login, API)."""

import pytest

pytestmark = pytest.mark.django_db
@pytest.mark.parametrize("charset", ["bogus", "rot13", "utf-16", "hex", "base64"])
@pytest.mark.parametrize("path", ["/", "/masuk/", "/api/v1/attendance/check-ins"])
def test_an_odd_charset_is_not_a_server_error(client, path, charset):
    r = client.generic("POST", path, b"a=b", content_type="application/x-www-form-urlencoded; charset=" + charset)
    assert r.status_code < 500
