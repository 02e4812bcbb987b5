"""The Airflow plugin that serves the detections pages: loaded by real Airflow, mounted on its API app, listed in
the UI's navigation and on each DAG run, and answering only an authenticated caller."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def client(tmp_path_factory, airflow_home):
    import os

    reports = tmp_path_factory.mktemp("reports")
    os.environ["NIDS_REPORT_DIR"] = str(reports)
    # What `airflow api-server` sets up on its first start: the key that signs the UI's and the API's tokens (64
    # bytes at least, as HS512 asks).
    os.environ.setdefault("AIRFLOW__API_AUTH__JWT_SECRET", "test-only-secret-for-the-plugin-test-" + "0" * 32)
    from airflow.api_fastapi.app import create_app
    from airflow.utils import db
    from fastapi.testclient import TestClient

    db.initdb()  # the API checks tokens against its table of revoked ones

    with TestClient(create_app()) as c:
        c.reports = reports
        yield c
    os.environ.pop("NIDS_REPORT_DIR", None)


@pytest.fixture(scope="module")
def token(client):
    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

    return get_auth_manager().generate_jwt(SimpleAuthManagerUser(username="admin", role="admin"))


def test_airflow_loads_the_plugin_with_its_app_and_views():
    from airflow import plugins_manager

    [plugin] = [p for p in plugins_manager._get_plugins()[0] if p.name == "nids_detections"]
    assert [a["url_prefix"] for a in plugin.fastapi_apps] == ["/detections"]
    assert {(v["destination"], v["href"]) for v in plugin.external_views} == {
        ("nav", "/detections/latest"), ("dag_run", "/detections/runs/{DAG_ID}/{RUN_ID}")}


def test_the_pages_answer_only_when_authenticated(client, token):
    (client.reports / "latest.html").write_text("<!DOCTYPE html><html><body>latest page</body></html>")
    (client.reports / "run-manual__2026-12-01T10_00_00_00_00.html").write_text("<html>the run's page</html>")

    assert client.get("/detections/latest").status_code == 401
    assert client.get("/detections/latest", headers={"Authorization": "Bearer not-a-token"}).status_code in (401, 403)

    auth = {"Authorization": f"Bearer {token}"}
    latest = client.get("/detections/latest", headers=auth)
    assert latest.status_code == 200 and "latest page" in latest.text
    assert latest.headers["content-type"].startswith("text/html")
    # The UI's session cookie authenticates the page in its iframe, as a bearer token does.
    client.cookies.set("_token", token)
    assert client.get("/detections/latest").status_code == 200
    client.cookies.clear()

    run = client.get("/detections/runs/nids_monitoring/manual__2026-12-01T10:00:00+00:00", headers=auth)
    assert run.status_code == 200 and "the run's page" in run.text
    other = client.get("/detections/runs/nids_etl/manual__x", headers=auth)
    assert other.status_code == 404 and "only nids_monitoring runs" in other.json()["detail"]
    (client.reports / "latest.html").unlink()
    missing = client.get("/detections/latest", headers=auth)
    assert missing.status_code == 404 and "nids_monitoring DAG writes one" in missing.json()["detail"]


def test_the_ui_lists_the_views(client, token):
    plugins = client.get("/api/v2/plugins", headers={"Authorization": f"Bearer {token}"}).json()["plugins"]
    [ours] = [p for p in plugins if p["name"] == "nids_detections"]
    assert {v["name"] for v in ours["external_views"]} == {"Detections"}
