import pytest

pytestmark = pytest.mark.django_db


def test_me(as_, network):
    r = as_("anna").get("/api/mlm/me/")
    assert r.status_code == 200, r.content
    assert r.json()["handle"] == "anna"
    assert as_(None).get("/api/mlm/me/").status_code == 401


def test_structure(as_, network):
    r = as_("anna").get("/api/mlm/structure/me/")
    assert r.status_code == 200, r.content
    print(r.json())
    r = as_("anna").get("/api/mlm/structure/me/downline/?limit=2")
    print(r.json())
    assert r.status_code == 200
    r = as_("anna").get(r.json()["next"])
    print(r.json())
