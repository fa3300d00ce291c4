"""Hardening: CSRF on every state-changing form, no open redirect through ?next=, uploads limited
in size and type (XML bombs included), formulas in uploaded workbooks never evaluated."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from fuzz.world import World
from indicators import forms as dataset_forms
from indicators.workbook import reading as dataset
from recommendations import forms as tracker_forms
from recommendations import importers as tracker

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example/"


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _forms(w: World) -> list[tuple[str, str, dict]]:
    """Every state-changing form: (role, address, a body that would otherwise be accepted)."""
    month = f"{w.month:%Y-%m}"
    return [
        ("anonymous", "/accounts/login/", {"username": "member", "password": "x"}),
        ("member", "/accounts/logout/", {}),
        ("officer_a", f"/admin/indicators/entry/{w.area_a.pk}/{month}/", {}),
        ("officer_a", f"/admin/indicators/entry/{w.area_a.pk}/targets/2021/", {}),
        (
            "performance",
            f"/admin/indicators/entry/month/{w.panel.slug}/{month}/",
            {"action": "approve"},
        ),
        ("performance", f"/admin/indicators/value/{w.published_a.pk}/revise/", {"reason": "r"}),
        ("officer_a", f"/admin/indicators/value/{w.value_a.pk}/change/", {"number": "2"}),
        ("manager", f"/recommendations/report/{w.report_date}/decisions/", {}),
        (
            "officer_a",
            f"/recommendations/{w.recommendation.pk}/updates/",
            {"date": "23/03/2022", "action_taken": "Done.", "status": w.status.pk},
        ),
        ("manager", f"/recommendations/new/{w.resolution.pk}/", {}),
        (
            "performance",
            "/admin/indicators/entry/import/",
            {"panel": w.panel.pk, "file": SimpleUploadedFile("a.xlsx", _xlsx([["x"]]))},
        ),
        (
            "manager",
            "/admin/recommendations/recommendation/import/",
            {"panel": w.panel.pk, "file": SimpleUploadedFile("t.csv", b"Date,Title\n")},
        ),
    ]


def _client(w: World, role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(w.user(role))
    return client


def test_every_form_refuses_a_post_without_a_csrf_token(world):
    for role, url, body in _forms(world):
        response = _client(world, role).post(url, body)
        assert response.status_code == 403, f"{url} as {role}"
        assert b"CSRF" in response.content


def test_a_post_with_the_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    from django.conf import settings

    response = client.post(
        "/accounts/login/",
        {"username": "member", "password": settings.DEMO_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("target", [EVIL, "//evil.example/", "https:evil.example", "/\\evil"])
def test_login_does_not_redirect_off_site(client, world, target):
    from django.conf import settings

    response = client.post(
        f"/accounts/login/?next={target}",
        {"username": "member", "password": settings.DEMO_PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_follows_a_local_next(client, world):
    from django.conf import settings

    response = client.post(
        "/accounts/login/",
        {"username": "member", "password": settings.DEMO_PASSWORD, "next": "/meetings/"},
    )
    assert response["Location"] == "/meetings/"


@pytest.mark.parametrize("target", [EVIL, "//evil.example/"])
def test_logout_does_not_redirect_off_site(client, world, target):
    client.force_login(world.users["member"])
    response = client.post(f"/accounts/logout/?next={target}", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


# --- Uploads ---------------------------------------------------------------------------------


def _bomb_xlsx() -> bytes:
    """A workbook whose sheet XML defines a billion-laughs entity and uses it in a cell."""
    good = _xlsx([["Indicator", "Outturn type", "Apr-21"], ["A", "NUMBER", 1]])
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                at = text.index("<worksheet")
                text = f"{text[:at]}<!DOCTYPE worksheet [{entities}]>{text[at:]}"
                text = re.sub(
                    r'<c r="A2"[^>]*>.*?</c>',
                    '<c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c>',
                    text,
                    count=1,
                )
                assert "&lol9;" in text
                data = text.encode()
            bomb.writestr(item, data)
    return out.getvalue()


BIG = b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024)
EXE = b"MZ\x90\x00\x03" + b"\0" * 2000 + b"This program cannot be run in DOS mode."


def _dataset_upload(client, world, name, content):
    client.force_login(world.users["performance"])
    response = client.post(
        "/admin/indicators/entry/import/",
        {"panel": world.panel.pk, "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400  # refused: a 4xx with the message (issue 11)
    return html.unescape(response.content.decode())


def _tracker_upload(client, world, name, content):
    client.force_login(world.users["manager"])
    response = client.post(
        "/admin/recommendations/recommendation/import/",
        {"panel": world.panel.pk, "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400  # refused: a 4xx with the message (issue 11)
    return html.unescape(response.content.decode())


def test_dataset_import_refuses_a_20_mb_file(client, world):
    page = _dataset_upload(client, world, "big.xlsx", BIG)
    assert dataset_forms.MSG_UPLOAD_TOO_LARGE.format(size=20.0) in page


def test_dataset_import_refuses_an_exe_renamed_xlsx(client, world):
    page = _dataset_upload(client, world, "data.xlsx", EXE)
    assert html.unescape(dataset_forms.MSG_UPLOAD_NOT_XLSX) in page


def test_dataset_import_refuses_an_xml_bomb(client, world):
    page = _dataset_upload(client, world, "bomb.xlsx", _bomb_xlsx())
    assert "The file is not an Excel workbook (.xlsx) that can be read" in page
    with pytest.raises(dataset.ImportRefused):
        dataset.read_workbook(_bomb_xlsx())


def test_tracker_import_refuses_a_20_mb_file(client, world):
    page = _tracker_upload(client, world, "big.xlsx", BIG)
    limit = tracker.MAX_UPLOAD_BYTES // (1024 * 1024)
    assert tracker_forms.ERROR_UPLOAD_SIZE.format(limit=limit) in page


def test_tracker_import_refuses_an_exe(client, world):
    page = _tracker_upload(client, world, "tracker.exe", EXE)
    assert tracker_forms.ERROR_UPLOAD_TYPE in page
    page = _tracker_upload(client, world, "tracker.xlsx", EXE)
    assert tracker.ERROR_NOT_XLSX.format(name="tracker.xlsx") in page


def test_tracker_import_refuses_an_xml_bomb(client, world):
    page = _tracker_upload(client, world, "bomb.xlsx", _bomb_xlsx())
    assert tracker.ERROR_NOT_XLSX.format(name="bomb.xlsx") in page
    with pytest.raises(tracker.TrackerImportError):
        tracker.read_rows(content=_bomb_xlsx(), name="bomb.xlsx")


# --- Formulas --------------------------------------------------------------------------------


def test_dataset_import_never_evaluates_a_formula():
    content = _xlsx(
        [["Indicator", "Outturn type", "Apr-21", "May-21"], ["Formula row", "NUMBER", 5, "=1+1"]]
    )
    workbook = dataset.read_workbook(content)
    cells = [c.value for table in workbook.tables for row in table.rows for c in row.cells.values()]
    assert 5 in cells
    assert 2 not in cells


def test_tracker_import_never_evaluates_a_formula():
    content = _xlsx(
        [
            ["Date", "Title", "Action proposed", "Action taken", "Progress status"],
            ["23/03/2022", "=1+1", "=1+1", "x", "Complete"],
        ]
    )
    rows = tracker.read_rows(content=content, name="t.xlsx")
    assert all(2 not in row for row in rows)
    assert rows[1][0] == "23/03/2022"
