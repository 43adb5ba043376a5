"""A token acts with its user's rights, narrowed (never widened) by its unit limit."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from layanan.api.permissions import ensure_token_can, token_reaches
from layanan.core.errors import NotPermitted

pytestmark = pytest.mark.django_db


def call(user, token):
    request = RequestFactory().get("/api/v1/x")
    request.user = user
    request.auth = token
    return request


def test_unlimited_token_reaches_everything(org, kesra_token):
    """A token without units is not narrowed."""
    token, _key = kesra_token
    assert token_reaches(token, org["biro-umum"])
    assert token_reaches(token, None)


def test_limited_token_reaches_its_units_and_below(org, kesra_officer, make_token):
    """A token limited to Biro Kesra reaches Biro Kesra and its divisions, not a sibling."""
    token, _key = make_token(kesra_officer, units=[org["biro-kesra"]])
    assert token_reaches(token, org["biro-kesra"])
    assert token_reaches(token, org["kesra-bina-mental"])
    assert not token_reaches(token, org["biro-perekonomian"])
    assert not token_reaches(token, org["setda"])


def test_token_limit_narrows_but_never_widens(org, kesra_head, make_token):
    """The head of Biro Kesra with a token limited to a division may edit there, not in the
    rest of the bureau; a token limited to another bureau gives no right there."""
    narrow, _ = make_token(kesra_head, units=[org["kesra-bina-mental"]])
    ensure_token_can(call(kesra_head, narrow), "catalog.edit", org["kesra-bina-mental"])
    with pytest.raises(NotPermitted) as excinfo:
        ensure_token_can(call(kesra_head, narrow), "catalog.edit", org["kesra-pelayanan-dasar"])
    assert excinfo.value.code == "token_out_of_scope"
    elsewhere, _ = make_token(kesra_head, units=[org["biro-umum"]])
    with pytest.raises(NotPermitted) as excinfo:
        ensure_token_can(call(kesra_head, elsewhere), "catalog.edit", org["biro-umum"])
    assert excinfo.value.code == "permission_denied"
