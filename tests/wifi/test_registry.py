"""The registry through its real interfaces: the API other tools rely on, the staff pages,
import/export, access by persona, the citizens' map and "laporkan gangguan"."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kotacerdas.accounts.models import User
from kotacerdas.accounts.services import api_token_create
from kotacerdas.tenants.models import Opd, Tenant
from kotacerdas.wifi.models import Health, Hotspot
from kotacerdas.wifi.services import hotspot_create


def bearer(user: User, *, write: bool = True) -> dict[str, Any]:
    _token, raw = api_token_create(user=user, name="uji", can_write=write)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_diskominfo_token_creates_a_point_and_reads_its_health(client: Client, ani: User) -> None:
    headers = bearer(ani)
    created = client.post(
        "/api/v1/wifi/hotspots",
        {
            "name": "Taman Uji",
            "lat": -6.115,
            "long": 106.154,
            "check_url": "http://127.0.0.1:9/",
            "check_interval_s": 60,
        },
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    point_id = created.json()["id"]
    read = client.get(f"/api/v1/wifi/hotspots/{point_id}", **headers)
    assert read.status_code == 200
    assert read.json()["health"] == "UNKNOWN"
    assert read.json()["check_interval_s"] == 60


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "lat": -6.1, "long": 106.1},
        {"name": "x", "lat": "nan", "long": 106.1},
        {"name": "x", "lat": 1e400, "long": 106.1},
        {"name": "x", "lat": -6.1, "long": 200},
        {"name": "x", "lat": -6.1, "long": 106.1, "check_interval_s": 1},
        {"name": "x", "lat": -6.1, "long": 106.1, "check_url": "javascript:alert(1)"},
        {"name": "x" * 151, "lat": -6.1, "long": 106.1},
        {"name": "x", "lat": -6.1, "long": 106.1, "site_type": "kapal"},
    ],
)
def test_bad_input_gets_a_clear_4xx(client: Client, ani: User, body: dict[str, object]) -> None:
    response = client.post(
        "/api/v1/wifi/hotspots", body, content_type="application/json", **bearer(ani)
    )
    assert response.status_code in (400, 422), response.content
    assert "error" in response.json()


def test_other_staff_read_a_point_and_other_regions_and_citizens_get_404(
    client: Client, alun: Hotspot, budi: User, citra: User, dewi: User
) -> None:
    url = f"/api/v1/wifi/hotspots/{alun.pk}"
    assert client.get(url, **bearer(budi)).status_code == 200  # another OPD of the city reads
    assert client.get(url, **bearer(citra)).status_code == 404  # Kabupaten Serang: no such point
    assert client.get(url, **bearer(dewi)).status_code == 404
    client.force_login(citra)
    assert client.get(reverse("wifi:detail", args=["kota-serang", alun.pk])).status_code == 404


def test_only_the_managing_opd_changes_the_registry(
    client: Client, alun: Hotspot, ani: User, budi: User
) -> None:
    body = {"name": "Titik Dishub", "lat": -6.1, "long": 106.1}
    created = client.post(
        "/api/v1/wifi/hotspots", body, content_type="application/json", **bearer(budi)
    )
    assert created.status_code == 404
    client.force_login(budi)
    assert client.get(reverse("wifi:detail", args=["kota-serang", alun.pk])).status_code == 200
    assert client.get(reverse("wifi:edit", args=["kota-serang", alun.pk])).status_code == 404
    client.force_login(ani)
    assert client.get(reverse("wifi:edit", args=["kota-serang", alun.pk])).status_code == 200


def test_a_provider_sees_only_its_own_points_read_only(
    client: Client, kota: Tenant, alun: Hotspot, provider_user: User
) -> None:
    other = hotspot_create(
        tenant=kota, actor=None, name="Titik lain", lat=Decimal("-6.1"), lng=Decimal("106.1")
    )
    client.force_login(provider_user)
    page = client.get(reverse("wifi:registry", args=["kota-serang"]))
    assert page.status_code == 200
    assert "Alun-alun Uji" in page.text and "Titik lain" not in page.text
    assert client.get(reverse("wifi:detail", args=["kota-serang", other.pk])).status_code == 404
    assert client.get(reverse("wifi:edit", args=["kota-serang", alun.pk])).status_code == 404
    assert client.get(reverse("wifi:registry", args=["kabupaten-serang"])).status_code == 404


def test_export_then_import_round_trips_and_a_bad_row_saves_nothing(
    client: Client, ani: User, alun: Hotspot
) -> None:
    client.force_login(ani)
    exported = client.get(reverse("wifi:export", args=["kota-serang", "csv"]))
    assert exported.status_code == 200
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert table[0][0] == "Nama titik"
    rows = [table[0], table[1], [*table[1]]]
    rows[2][0] = "Pasar Baru Uji"
    rows[2][table[0].index("NAS-Identifier RADIUS")] = "ap-pasar"
    upload = io.StringIO()
    csv.writer(upload).writerows(rows)
    data = upload.getvalue().encode()
    response = client.post(
        reverse("wifi:import", args=["kota-serang"]), {"file": _file("titik.csv", data)}
    )
    assert response.status_code == 302
    assert Hotspot.objects.filter(tenant=alun.tenant).count() == 2
    bad = [table[0], [*table[1]]]
    bad[1][0] = "Titik Rusak"
    bad[1][2] = "bukan-angka"
    bad[1][table[0].index("NAS-Identifier RADIUS")] = "ap-rusak"
    upload = io.StringIO()
    csv.writer(upload).writerows([*bad, rows[2]])
    response = client.post(
        reverse("wifi:import", args=["kota-serang"]),
        {"file": _file("titik.csv", upload.getvalue().encode())},
    )
    assert response.status_code == 400
    assert "Baris 2, kolom lat" in response.text
    assert not Hotspot.objects.filter(name="Titik Rusak").exists()
    xlsx = client.get(reverse("wifi:export", args=["kota-serang", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.max_row == 3


def _file(name: str, data: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_public_map_shows_status_and_ssid_but_no_costs(client: Client, alun: Hotspot) -> None:
    Hotspot.objects.filter(pk=alun.pk).update(health=Health.CRITICAL)
    page = client.get(reverse("wifi:public_map", args=["kota-serang"]))
    assert page.status_code == 200
    assert "Alun-alun Uji" in page.text and "SerangUji" in page.text and "gangguan" in page.text
    assert "9000000" not in page.text and "9.000.000" not in page.text
    assert "127.0.0.9" not in page.text and "ap-alun" not in page.text
    feed = client.get("/api/v1/wifi/public/kota-serang/hotspots")
    assert feed.status_code == 200
    assert set(feed.json()[0]) == {"id", "name", "site_type", "lat", "long", "ssid", "health"}


def test_laporkan_gangguan_files_a_complaint_about_the_point(
    client: Client, kota: Tenant, alun: Hotspot
) -> None:
    from kotacerdas.complaints.models import Category

    Category.objects.get_or_create(
        tenant=kota,
        code="internet-publik",
        defaults={
            "name": "Internet publik",
            "opd": Opd.objects.get(tenant=kota, acronym="Diskominfo"),
        },
    )
    response = client.post(
        reverse("wifi:report_problem", args=["kota-serang", alun.pk]),
        {"description": "Tidak bisa tersambung sejak pagi", "email": "warga@contoh.id"},
    )
    assert response.status_code == 200, response.text
    from kotacerdas.complaints.models import Complaint

    complaint = Complaint.objects.get(tenant=kota, category__code="internet-publik")
    assert "Alun-alun Uji" in complaint.description and "sejak pagi" in complaint.description
    assert complaint.ticket in response.text
    assert alun.lat is not None and complaint.lat is not None
    assert float(complaint.lat) == pytest.approx(float(alun.lat))
    assert alun.events.filter(action="reported").exists()
