"""Agenda and minutes as PDFs (WeasyPrint), read back with pypdf."""

import io

import pypdf
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_agenda_pdf_has_the_item_titles(client, scene):
    response = client.get(reverse("meetings:agenda-pdf", args=[scene.march.pk]))
    assert "attachment;" in response["Content-Disposition"]
    text = pdf_text(response)
    assert "Agenda: Thursday 31 March 2022" in text
    assert "ELECTIVE HOME EDUCATION" in text
    assert "Conference Room 3 - Civic Centre" in text


def test_minutes_pdf_has_numbered_minutes_and_resolutions(client, scene):
    text = pdf_text(client.get(reverse("meetings:minutes-pdf", args=[scene.november.pk])))
    assert "Minutes of the meeting held on 25 November 2021" in text
    assert "29. CHILDREN AND LEARNING - PERFORMANCE" in text
    assert "2) That NEET indicators are clarified." in text
    assert "Present:" in text


def test_no_minutes_no_pdf(client, scene):
    assert client.get(reverse("meetings:minutes-pdf", args=[scene.march.pk])).status_code == 404
