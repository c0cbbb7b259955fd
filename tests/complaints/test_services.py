"""The complaint lifecycle through its services: SLA clocks, dispositions, reopen, audit trail."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from PIL import Image
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.models import Role, User
from kotacerdas.complaints import services
from kotacerdas.complaints.models import Category, Complaint, Disposition, Severity, Status
from kotacerdas.complaints.selectors import (
    nearby_similar,
    statistics_per_category_month,
    statistics_per_opd_month,
)
from kotacerdas.complaints.tasks import photos_publish_pending
from kotacerdas.core.errors import DomainError, InvalidTransition
from kotacerdas.notifications.services import deliver_due
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Opd, Tenant

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)  # Monday 2 March 2026, no holiday

from tests.complaints.conftest import jpeg_with_gps  # noqa: E402


def dpupr_operator(tenant: Tenant) -> User:
    user, _created = User.objects.get_or_create(
        username="dpupr-kota",
        defaults={
            "tenant": tenant,
            "role": Role.OPD_OPERATOR,
            "opd": Opd.objects.get(tenant=tenant, acronym="DPUPR"),
        },
    )
    return user


def submit(tenant: Tenant, category: Category, **kwargs: Any) -> Complaint:
    defaults: dict[str, Any] = {"description": "Lampu jalan mati", "lat": -6.12, "long": 106.15}
    defaults.update(kwargs)
    complaint, _created = services.complaint_submit(tenant=tenant, category=category, **defaults)
    return complaint


@time_machine.travel(MONDAY_9, tick=False)
def test_full_lifecycle_with_sla_clocks_reopen_and_audit(
    kota: Tenant, pju: Category, admin_kota: User, budi: User
) -> None:
    complaint = submit(kota, pju, reporter_name="Siti", reporter_phone="081234567890")
    assert complaint.ticket == "SRG-2026-000001"
    assert complaint.status == Status.BARU
    # verification: 3 working days, Monday 09:00 -> Thursday 09:00
    assert complaint.verify_due == dt.datetime(2026, 3, 5, 9, 0, tzinfo=WIB)
    assert complaint.due_at == complaint.verify_due

    dishub = Opd.objects.get(tenant=kota, acronym="Dishub")
    dpupr = Opd.objects.get(tenant=kota, acronym="DPUPR")
    services.complaint_classify(complaint=complaint, actor=admin_kota, severity=Severity.BERAT)
    services.complaint_dispose(complaint=complaint, actor=admin_kota, opds=[dishub, dpupr])
    complaint.refresh_from_db()
    assert complaint.status == Status.DIDISPOSISI
    # first OPD response: 3x24 hours
    assert complaint.due_at == dt.datetime(2026, 3, 5, 9, 0, tzinfo=WIB)
    assert set(complaint.dispositions.values_list("opd__acronym", flat=True)) == {"Dishub", "DPUPR"}

    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=5), tick=False):
        services.response_add(
            complaint=complaint, actor=budi, body="Catatan internal", is_public=False
        )
        assert Disposition.objects.get(complaint=complaint, opd=dishub).first_response_at is None
        services.response_add(
            complaint=complaint, actor=budi, body="Petugas meluncur", photos=[jpeg_with_gps()]
        )
        services.complaint_resolve(complaint=complaint, actor=budi, note="Lampu sudah diganti")
    complaint.refresh_from_db()
    # Dishub's part is done; DPUPR's is not, so the complaint is not.
    assert complaint.status == Status.DIPROSES
    assert Disposition.objects.get(complaint=complaint, opd=dpupr).resolved_at is None
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=6), tick=False):
        services.complaint_resolve(
            complaint=complaint, actor=dpupr_operator(kota), note="Tiang diperbaiki"
        )
    complaint.refresh_from_db()
    assert complaint.status == Status.SELESAI
    assert not complaint.is_open and complaint.due_at is None

    with time_machine.travel(MONDAY_9 + dt.timedelta(days=3), tick=False):
        services.complaint_reopen(complaint=complaint, reason="Masih mati di malam hari")
    complaint.refresh_from_db()
    assert complaint.status == Status.DIDISPOSISI and complaint.reopen_count == 1
    reopened = Disposition.objects.get(complaint=complaint, opd=dishub)
    assert reopened.reopen_count == 1 and reopened.first_response_at is None
    assert reopened.response_due == MONDAY_9 + dt.timedelta(days=6)

    with pytest.raises(InvalidTransition):
        services.complaint_confirm(complaint=complaint)
    services.complaint_resolve(complaint=complaint, actor=budi, note="Kabel diperbaiki")
    services.complaint_resolve(complaint=complaint, actor=dpupr_operator(kota), note="Tiang")
    services.complaint_confirm(complaint=complaint)
    services.complaint_rate(complaint=complaint, rating=5, comment="Cepat")
    complaint.refresh_from_db()
    assert complaint.status == Status.DITUTUP and complaint.rating == 5

    actions = list(complaint.events.values_list("action", "from_state", "to_state"))
    assert ("dispose", "baru", "didisposisi") in actions
    assert ("reopen", "selesai", "didisposisi") in actions
    assert ("confirm", "selesai", "ditutup") in actions
    assert complaint.events.get(action="dispose").actor == admin_kota

    stats = {(r.opd, r.month): r for r in statistics_per_opd_month(tenant=kota, year=2026)}
    dishub_row = stats[("Dishub", "2026-03")]
    assert dishub_row.received == 1 and dishub_row.reopens == 1 and dishub_row.average_rating == 5
    assert dishub_row.response_rate == 1.0 and dishub_row.within_sla_share == 1.0


@time_machine.travel(MONDAY_9, tick=False)
def test_reopen_is_refused_after_fourteen_days(
    kota: Tenant, sampah: Category, admin_kota: User, ani: User
) -> None:
    complaint = submit(kota, sampah)
    # ringan: resolved within 1x24 hours of receipt
    assert complaint.severity == Severity.RINGAN
    assert complaint.resolve_due == MONDAY_9 + dt.timedelta(hours=24)
    dlh = Opd.objects.get(tenant=kota, acronym="DLH")
    services.complaint_dispose(complaint=complaint, actor=admin_kota, opds=[dlh])
    services.complaint_resolve(complaint=complaint, actor=admin_kota, note="Diangkut")
    with (
        time_machine.travel(MONDAY_9 + dt.timedelta(days=15), tick=False),
        pytest.raises(DomainError) as err,
    ):
        services.complaint_reopen(complaint=complaint, reason="Menumpuk lagi")
    assert err.value.code == "reopen_expired"


def test_operator_of_another_opd_cannot_respond(
    kota: Tenant, pju: Category, admin_kota: User, ani: User
) -> None:
    complaint = submit(kota, pju)
    services.complaint_dispose(
        complaint=complaint, actor=admin_kota, opds=[Opd.objects.get(tenant=kota, acronym="Dishub")]
    )
    with pytest.raises(DomainError):
        services.response_add(complaint=complaint, actor=ani, body="Bukan kami")


def test_invalid_moves_and_bad_input_give_clear_errors(
    kota: Tenant, kab: Tenant, pju: Category, admin_kota: User
) -> None:
    with pytest.raises(DomainError, match=r"maksimal 4\.000"):
        submit(kota, pju, description="x" * 4001)
    with pytest.raises(DomainError, match="lokasi"):
        submit(kota, pju, lat=None, long=None)
    with pytest.raises(DomainError, match="Kategori"):
        submit(kab, pju)
    with pytest.raises(DomainError, match="Kelurahan"):
        submit(
            kota,
            pju,
            region=Region.objects.get(code="36.04.01.2001")
            if Region.objects.filter(code="36.04.01.2001").exists()
            else Region.objects.filter(code__startswith="36.04.", level=4).first(),
        )
    with pytest.raises(DomainError, match="Jenis gambar tidak diterima"):
        submit(kota, pju, photos=[SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>")])
    with pytest.raises(DomainError, match="5 foto"):
        submit(kota, pju, photos=[jpeg_with_gps() for _ in range(6)])
    complaint = submit(kota, pju)
    with pytest.raises(InvalidTransition):
        services.complaint_resolve(complaint=complaint, actor=admin_kota, note="x")
    with pytest.raises(DomainError, match="alasan"):
        services.complaint_decline(complaint=complaint, actor=admin_kota, reason=" ")
    services.complaint_decline(
        complaint=complaint, actor=admin_kota, reason="Jalan nasional, wewenang BPJN"
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.BUKAN_WEWENANG and not complaint.is_open


def test_idempotency_key_creates_one_complaint_per_tenant(
    kota: Tenant, kab: Tenant, pju: Category
) -> None:
    first, created = services.complaint_submit(
        tenant=kota, category=pju, description="a", address="Jl. A", idempotency_key="k-1"
    )
    again, created_again = services.complaint_submit(
        tenant=kota, category=pju, description="a", address="Jl. A", idempotency_key="k-1"
    )
    assert created and not created_again and first.pk == again.pk
    kab_pju = Category.objects.get(tenant=kab, code="pju")
    other, created_other = services.complaint_submit(
        tenant=kab, category=kab_pju, description="a", address="Jl. A", idempotency_key="k-1"
    )
    assert created_other and other.ticket.startswith("KSR-")


def test_a_photo_whose_original_cannot_be_read_holds_up_no_other(
    kota: Tenant, pju: Category
) -> None:
    broken = submit(kota, pju, photos=[jpeg_with_gps("rusak.jpg")]).photos.get()
    broken.original.storage.delete(broken.original.name)  # lost from storage after the upload
    good = submit(kota, pju, photos=[jpeg_with_gps("baik.jpg")]).photos.get()
    # One photo per batch: the broken one is passed over, the next batch goes on after it.
    assert photos_publish_pending(limit=1) == (0, broken.pk)
    assert photos_publish_pending(limit=1, after=broken.pk) == (1, good.pk)
    assert photos_publish_pending(limit=1, after=good.pk) == (0, None), "the queue's end"
    call_command("publish_photos", "--once", "--batch", "1", stdout=io.StringIO())
    good.refresh_from_db()
    broken.refresh_from_db()
    assert good.image and not broken.image, "still waiting, tried again on the next pass"


def test_photo_public_copy_is_reencoded_without_exif_and_original_is_private(
    kota: Tenant, pju: Category, tmp_path: Path
) -> None:
    complaint = submit(kota, pju, photos=[jpeg_with_gps("foto.png")])
    photo = complaint.photos.get()
    assert not photo.image, "the request keeps only the original"
    assert not complaint.photos.published().exists()
    stale = complaint.photos.get()  # what a second worker read before the first one finished

    assert photos_publish_pending() == (1, None)
    assert photos_publish_pending() == (0, None), "idempotent: a published photo is not made again"
    photo.refresh_from_db()
    assert not services.photo_publish(photo=stale), "a worker that lost the race records nothing"
    assert complaint.photos.published().get().image.name == photo.image.name
    with Image.open(photo.image.path) as public:
        assert public.format == "JPEG"
        assert not public.getexif()
        assert "exif" not in public.info
    assert photo.original.storage.location == str(tmp_path / "private")
    assert photo.original.storage.exists(photo.original.name)
    with photo.original.storage.open(photo.original.name) as original, Image.open(original) as img:
        assert img.getexif()[0x010F] == "PhoneMaker"


def test_nearby_similar_reports_within_150_metres_of_same_category(
    kota: Tenant, pju: Category, sampah: Category
) -> None:
    near = submit(kota, pju, lat=-6.1200, long=106.1500)
    submit(kota, pju, lat=-6.1250, long=106.1500)  # about 550 m away
    submit(kota, sampah, lat=-6.1201, long=106.1500)  # other category
    found = nearby_similar(tenant=kota, category=pju, lat=-6.1205, long=106.1505)
    assert found == [near]
    services.complaint_me_too(complaint=near, user=None, browser="b-1")
    near.refresh_from_db()
    assert near.me_too_count == 1


def test_escalation_emails_opd_head_and_admin_once_per_deadline(
    kota: Tenant, pju: Category, admin_kota: User
) -> None:
    dishub = Opd.objects.get(tenant=kota, acronym="Dishub")
    Opd.objects.filter(pk=dishub.pk).update(head_email="kadishub@serangkota.go.id")
    with time_machine.travel(MONDAY_9, tick=False):
        complaint = submit(kota, pju)
        services.complaint_dispose(complaint=complaint, actor=admin_kota, opds=[dishub])
    with time_machine.travel(MONDAY_9 + dt.timedelta(days=4), tick=False):
        call_command("send_complaint_escalations", verbosity=0)
        call_command("send_complaint_escalations", verbosity=0)
    deliver_due()
    deliver_due()
    assert len(mail.outbox) == 2  # one message to each, once
    assert {m.to[0] for m in mail.outbox} == {"kadishub@serangkota.go.id", admin_kota.email}
    assert all(complaint.ticket in m.subject for m in mail.outbox)
    assert Complaint.objects.get(pk=complaint.pk).events.filter(action="escalate").count() == 1


def test_statistics_per_opd_and_month_under_frozen_time(
    kota: Tenant, sampah: Category, admin_kota: User
) -> None:
    dlh = Opd.objects.get(tenant=kota, acronym="DLH")
    dlh_operator = User.objects.get(username="dlh-kota")
    with time_machine.travel(MONDAY_9, tick=False):
        complaints = [submit(kota, sampah, description=f"Sampah {i}") for i in range(3)]
        for complaint in complaints:
            services.complaint_dispose(complaint=complaint, actor=admin_kota, opds=[dlh])
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=2), tick=False):
        services.response_add(
            complaint=complaints[0], actor=dlh_operator, body="Diangkut siang ini"
        )
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=6), tick=False):
        services.response_add(complaint=complaints[1], actor=dlh_operator, body="Dijadwalkan")
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=80), tick=False):
        services.complaint_resolve(complaint=complaints[1], actor=dlh_operator, note="Sudah bersih")
        services.complaint_rate(complaint=complaints[1], rating=3)
    (row,) = statistics_per_opd_month(tenant=kota, year=2026)
    assert (row.opd, row.month, row.received, row.responded) == ("DLH", "2026-03", 3, 2)
    assert row.response_rate == 0.667
    assert row.median_hours_first_response == 4.0
    assert row.median_hours_resolution == 80.0
    assert row.within_sla_share == 0.667  # the third was never answered
    assert row.reopens == 0 and row.average_rating == 3


def test_statistics_per_opd_month_count_only_the_tenant_in_fixed_queries(
    kota: Tenant,
    kab: Tenant,
    sampah: Category,
    admin_kota: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    """Another tenant's dispositions of the same month are not counted, and the table costs a
    fixed number of queries however many OPDs and months: the grouped counts and the medians
    (one per duration on SQLite, which has no percentile)."""
    admin_kab = User.objects.get(username="admin-kab")
    kab_sampah = Category.objects.get(tenant=kab, code="sampah")
    with time_machine.travel(MONDAY_9, tick=False):
        for tenant, category, admin in ((kota, sampah, admin_kota), (kab, kab_sampah, admin_kab)):
            for i in range(2):
                complaint = submit(tenant, category, description=f"Sampah {i}")
                assert category.opd is not None  # the demo categories are routed
                services.complaint_dispose(complaint=complaint, actor=admin, opds=[category.opd])
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 3):
        rows = statistics_per_opd_month(tenant=kota, year=2026)
    assert sampah.opd is not None
    assert [(r.opd, r.received) for r in rows] == [(sampah.opd.acronym, 2)]


def test_statistics_per_category_and_month_under_frozen_time(
    kota: Tenant, sampah: Category, pju: Category, admin_kota: User
) -> None:
    """Open data's per-category table: three rubbish reports (two resolved after 10 and 30
    hours, rated 4 and 2) and one street light in March; one rubbish report in April."""
    dlh = Opd.objects.get(tenant=kota, acronym="DLH")
    dlh_operator = User.objects.get(username="dlh-kota")
    with time_machine.travel(MONDAY_9, tick=False):
        rubbish = [submit(kota, sampah, description=f"Sampah {i}") for i in range(3)]
        submit(kota, pju, description="Lampu mati")
        for complaint in rubbish[:2]:
            services.complaint_dispose(complaint=complaint, actor=admin_kota, opds=[dlh])
    for hours, complaint, rating in [(10, rubbish[0], 4), (30, rubbish[1], 2)]:
        with time_machine.travel(MONDAY_9 + dt.timedelta(hours=hours), tick=False):
            services.complaint_resolve(complaint=complaint, actor=dlh_operator, note="Bersih")
            services.complaint_rate(complaint=complaint, rating=rating)
    with time_machine.travel(MONDAY_9 + dt.timedelta(days=30), tick=False):
        submit(kota, sampah, description="Sampah April")
    zone = ZoneInfo(kota.time_zone)
    rows = statistics_per_category_month(
        tenant=kota,
        start=dt.datetime(2026, 1, 1, tzinfo=zone),
        end=dt.datetime(2026, 5, 1, tzinfo=zone),
    )
    got = {(r.code, r.month): r for r in rows}
    assert sorted(got) == [("pju", "2026-03"), ("sampah", "2026-03"), ("sampah", "2026-04")]
    march = got[("sampah", "2026-03")]
    assert (march.received, march.resolved, march.median_hours_resolution) == (3, 2, 20.0)
    assert march.average_rating == 3 and march.name == sampah.name
    assert (
        march.resolved_on_time
        == Complaint.objects.filter(
            pk__in=[c.pk for c in rubbish], resolved_at__lte=F("resolve_due")
        ).count()
    )
    light = got[("pju", "2026-03")]
    assert (light.received, light.resolved, light.median_hours_resolution) == (1, 0, None)
    assert light.average_rating is None


@time_machine.travel(MONDAY_9, tick=False)
def test_dishub_resolution_leaves_dpupr_part_open_and_its_statistics_untouched(
    kota: Tenant, pju: Category, admin_kota: User, budi: User
) -> None:
    dishub = Opd.objects.get(tenant=kota, acronym="Dishub")
    dpupr = Opd.objects.get(tenant=kota, acronym="DPUPR")
    complaint = submit(kota, pju)
    services.complaint_dispose(complaint=complaint, actor=admin_kota, opds=[dpupr, dishub])
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=3), tick=False):
        services.complaint_resolve(complaint=complaint, actor=budi, note="Lampu diganti")
    complaint.refresh_from_db()
    assert complaint.status == Status.DIPROSES and complaint.is_open
    assert complaint.resolved_at is None and complaint.closed_at is None
    dishub_part = Disposition.objects.get(complaint=complaint, opd=dishub)
    dpupr_part = Disposition.objects.get(complaint=complaint, opd=dpupr)
    assert dishub_part.resolved_at == MONDAY_9 + dt.timedelta(hours=3)
    assert dishub_part.first_response_at == MONDAY_9 + dt.timedelta(hours=3)
    assert dishub_part.resolution_note == "Lampu diganti"
    assert dpupr_part.first_response_at is None and dpupr_part.resolved_at is None
    assert complaint.due_at == dpupr_part.response_due  # DPUPR's clock still runs
    # Dishub cannot finish twice; the timeline says whose part is done.
    with pytest.raises(DomainError) as err:
        services.complaint_resolve(complaint=complaint, actor=budi, note="lagi")
    assert err.value.code == "already_resolved"
    assert complaint.events.filter(action="resolve_part", opd=dishub).count() == 1

    stats = {r.opd: r for r in statistics_per_opd_month(tenant=kota, year=2026)}
    assert (stats["Dishub"].responded, stats["Dishub"].median_hours_resolution) == (1, 3.0)
    assert stats["DPUPR"].received == 1
    assert stats["DPUPR"].responded == 0 and stats["DPUPR"].response_rate == 0.0
    assert stats["DPUPR"].median_hours_first_response is None
    assert stats["DPUPR"].median_hours_resolution is None

    # The administrator may close it for everyone, with a reason; DPUPR gets no credit.
    services.complaint_close(complaint=complaint, actor=admin_kota, reason="Ditangani BPJN")
    complaint.refresh_from_db()
    assert complaint.status == Status.SELESAI and complaint.status_note == "Ditangani BPJN"
    dpupr_part.refresh_from_db()
    assert dpupr_part.first_response_at is None and dpupr_part.resolved_at is None


def test_region_administrator_answer_credits_no_opd(
    kota: Tenant, pju: Category, admin_kota: User
) -> None:
    dishub = Opd.objects.get(tenant=kota, acronym="Dishub")
    complaint = submit(kota, pju)
    services.complaint_dispose(complaint=complaint, actor=admin_kota, opds=[dishub])
    response = services.response_add(complaint=complaint, actor=admin_kota, body="Kami cek")
    assert response.opd is None
    assert Disposition.objects.get(complaint=complaint).first_response_at is None
