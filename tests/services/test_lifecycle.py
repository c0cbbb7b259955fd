"""Services and access: the transition table, drafts that expire, rejection, retention,
statistics and the back office."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks, Settings

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError, InvalidTransition
from kotacerdas.notifications.services import deliver_due
from kotacerdas.services import services
from kotacerdas.services.models import Application, Document, Service, Status
from kotacerdas.services.selectors import service_statistics
from kotacerdas.tenants.models import Tenant
from tests.services.conftest import KK_NUMBER, WOMAN_NIK, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB)
BASE = "/kota-serang/layanan"


def filled_kk_application(citizen, service: Service, *, fulfilment: str = "digital") -> Application:  # type: ignore[no-untyped-def]
    application = services.application_start(
        service=service, applicant=citizen, idempotency_key=uuid.uuid4()
    )
    services.application_save_form(
        application=application,
        actor=citizen,
        fulfilment=fulfilment,
        pickup_location=None,
        delivery_address="",
        form_data={
            "nik": WOMAN_NIK,
            "kk_lama": KK_NUMBER,
            "nama": "Siti",
            "kelurahan": "36.73.01.1010",
            "alamat": "Jl. Kaligandu",
            "alasan": "Menikah",
            "telepon": "0812",
        },
    )
    requirement = service.requirements.get(is_required=True)
    services.document_upload(
        application=application,
        requirement_id=requirement.pk,
        actor=citizen,
        upload=SimpleUploadedFile("nikah.jpg", jpeg_bytes(), "image/jpeg"),
    )
    return application


def process_to_completion(
    application: Application, operator: User, *, revise: bool = False
) -> None:
    citizen = application.applicant
    services.application_submit(application=application, actor=citizen)
    services.application_start_verification(application=application, actor=operator)
    if revise:
        services.application_request_revision(
            application=application, actor=operator, reason="Kurang jelas"
        )
        services.application_submit(application=application, actor=citizen)
        services.application_start_verification(application=application, actor=operator)
    for document in application.documents.all():
        services.document_review(document=document, actor=operator, accepted=True)
    services.application_verify(application=application, actor=operator)
    services.application_record_siak(application=application, actor=operator, reference="REF-001")
    services.application_mark_ready(
        application=application,
        actor=operator,
        result=SimpleUploadedFile("kk.pdf", pdf_bytes(), "application/pdf"),
    )
    services.application_complete(application=application, actor=operator)


def test_an_invalid_move_is_refused_with_a_clear_message(
    dewi: User, operator: User, kk_service: Service
) -> None:
    application = filled_kk_application(dewi, kk_service)
    with pytest.raises(InvalidTransition, match="tidak dapat dilakukan pada status"):
        services.application_verify(application=application, actor=operator)
    services.application_submit(application=application, actor=dewi)
    with pytest.raises(DomainError, match="tidak dapat diubah"):
        services.application_save_form(
            application=application,
            actor=dewi,
            form_data={},
            fulfilment="digital",
            pickup_location=None,
            delivery_address="",
        )
    services.application_start_verification(application=application, actor=operator)
    with pytest.raises(DomainError, match="Terima semua dokumen"):
        services.application_verify(application=application, actor=operator)


def test_an_incomplete_application_lists_what_is_missing(dewi: User, kk_service: Service) -> None:
    application = services.application_start(
        service=kk_service, applicant=dewi, idempotency_key=uuid.uuid4()
    )
    with pytest.raises(DomainError) as excinfo:
        services.application_submit(application=application, actor=dewi)
    assert "Isi “NIK pemohon”" in excinfo.value.message
    assert "Unggah “Buku nikah" in excinfo.value.message


def test_a_rejected_application_tells_the_citizen_why(
    dewi: User,
    operator: User,
    kk_service: Service,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    mailoutbox: list[EmailMessage],
) -> None:
    application = filled_kk_application(dewi, kk_service)
    services.application_submit(application=application, actor=dewi)
    with pytest.raises(DomainError, match="alasan"):
        services.application_reject(application=application, actor=operator, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(
            application=application, actor=operator, reason="Bukan warga Kota Serang"
        )
    application.refresh_from_db()
    assert application.status == Status.REJECTED and application.closed_at is not None
    deliver_due()
    assert "Bukan warga Kota Serang" in mailoutbox[0].body
    assert "Berhenti menerima surel" in mailoutbox[0].body, "one-click stop link"
    assert application.notices.get().text.endswith("Bukan warga Kota Serang")


def test_an_expired_draft_says_so_and_carries_everything_to_a_new_draft(
    client: Client, dewi: User, kk_service: Service
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        application = filled_kk_application(dewi, kk_service)
    with time_machine.travel(MONDAY + dt.timedelta(days=31), tick=False):
        with pytest.raises(DomainError, match="kedaluwarsa"):
            services.application_submit(application=application, actor=dewi)
        client.force_login(dewi)
        form_page = client.get(
            f"{BASE}/permohonan/{application.pk}/isi/", follow=True
        ).content.decode()
        assert "Draf ini kedaluwarsa pada 02-12-2026" in form_page
        renewed = client.post(f"{BASE}/permohonan/{application.pk}/lanjutkan/")
        new = Application.objects.exclude(pk=application.pk).get(applicant=dewi)
        application.refresh_from_db()
        assert renewed["Location"].endswith(f"/permohonan/{new.pk}/isi/")
        assert new.form_data == application.form_data and new.nik == WOMAN_NIK
        copied = new.documents.get()
        with copied.file.open("rb") as handle:
            assert handle.read() == jpeg_bytes()
        services.application_submit(application=new, actor=dewi)
    application.refresh_from_db()
    assert application.status == Status.CANCELLED


@time_machine.travel(MONDAY, tick=False)
def test_the_sla_clock_uses_the_service_setting_and_restarts_on_resubmission(
    dewi: User, operator: User, kk_service: Service, kota: Tenant
) -> None:
    application = filled_kk_application(dewi, kk_service)
    services.application_submit(application=application, actor=dewi)
    application.refresh_from_db()
    assert application.sla_deadline == MONDAY + dt.timedelta(hours=24)
    ak1 = Service.objects.get(tenant=kota, code="kartu-kuning")
    assert ak1.sla_unit == "working_days" and ak1.opd.acronym == "Disnakertrans"


def test_identity_numbers_are_masked_for_everyone_but_the_applicant_and_the_opd(
    client: Client, dewi: User, operator: User, admin_kota: User, kk_service: Service
) -> None:
    application = filled_kk_application(dewi, kk_service)
    services.application_submit(application=application, actor=dewi)
    client.force_login(admin_kota)
    listing = client.get("/admin/services/application/").content.decode()
    assert "3673**********01" in listing and WOMAN_NIK not in listing
    detail = client.get(f"/admin/services/application/{application.pk}/change/").content.decode()
    assert WOMAN_NIK not in detail and KK_NUMBER not in detail
    client.force_login(operator)
    assert WOMAN_NIK in client.get(f"{BASE}/meja/{application.pk}/").content.decode()


def test_region_admins_edit_only_their_own_catalogue(
    client: Client, admin_kota: User, admin_kab: User, kk_service: Service, kab: Tenant
) -> None:
    client.force_login(admin_kota)
    listing = client.get("/admin/services/service/").content.decode()
    kab_service = Service.objects.get(tenant=kab, code="kk-baru")
    assert f"/admin/services/service/{kk_service.pk}/change/" in listing
    assert f"/admin/services/service/{kab_service.pk}/change/" not in listing
    assert client.get(f"/admin/services/service/{kab_service.pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/services/service/{kk_service.pk}/change/").status_code == 200


def _due(**kwargs: Any) -> dict[int, str]:
    """The dry run's answer: application id -> outcome."""
    return {
        item.application_id: str(item.outcome)
        for item in services.documents_purge(commit=False, **kwargs)
    }


def test_retention_purges_documents_by_outcome_in_batches_only_with_commit(  # noqa: PLR0917 - fixtures
    dewi: User,
    operator: User,
    kk_service: Service,
    private_files: FileSystemStorage,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.SERVICES_DRAFT_DAYS = 30
    settings.SERVICES_RETENTION_DAYS = {
        "completed": 90,
        "rejected": 60,
        "cancelled": 10,
        "abandoned_draft": 20,
    }
    with time_machine.travel(MONDAY, tick=False):
        completed = filled_kk_application(dewi, kk_service)
        process_to_completion(completed, operator)
        rejected = filled_kk_application(dewi, kk_service)
        services.application_submit(application=rejected, actor=dewi)
        services.application_reject(application=rejected, actor=operator, reason="Palsu")
        cancelled = filled_kk_application(dewi, kk_service)
        services.application_cancel(application=cancelled, actor=dewi)
        draft = filled_kk_application(dewi, kk_service)  # expires on day 30
        still_open = filled_kk_application(dewi, kk_service)
        services.application_submit(application=still_open, actor=dewi)
    stored = {a.pk: a.documents.get().file.name for a in (completed, rejected, cancelled, draft)}

    def on_day(days: int):  # type: ignore[no-untyped-def]
        return time_machine.travel(MONDAY + dt.timedelta(days=days), tick=False)

    with on_day(9):
        assert _due() == {}
    with on_day(11):
        assert _due() == {cancelled.pk: "cancelled"}
    with on_day(51):  # the draft expired on day 30, plus 20 days
        assert _due() == {cancelled.pk: "cancelled", draft.pk: "abandoned_draft"}
    with on_day(61):
        assert set(_due().values()) == {"cancelled", "abandoned_draft", "rejected"}
    with on_day(91):
        out = io.StringIO()
        call_command("purge_service_documents", stdout=out)
        assert completed.number in out.getvalue() and "uji coba" in out.getvalue()
        assert "4 permohonan" in out.getvalue()
        assert Document.objects.filter(application=completed).exists(), "a dry run deletes nothing"
        assert _due(batch_size=1) == {
            completed.pk: "completed",
            rejected.pk: "rejected",
            cancelled.pk: "cancelled",
            draft.pk: "abandoned_draft",
        }, "batches of one still reach every row"
        call_command("purge_service_documents", "--days", "120", stdout=io.StringIO())
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "purge_service_documents", "--commit", "--batch-size", "1", stdout=io.StringIO()
            )
        assert _due() == {}, "a second run finds nothing left"
    for application in (completed, rejected, cancelled, draft):
        application.refresh_from_db()
        assert not application.documents.exists() and application.documents_purged_at
        assert application.events.filter(action="documents_purge", public=False).exists()
        assert not private_files.exists(stored[application.pk])
    assert completed.result_file, "the result stays: the citizen may download it again"
    assert rejected.nik == WOMAN_NIK, "a closed application keeps its record"
    assert draft.form_data == {} and draft.nik == "" and draft.kk_number == "", (
        "an abandoned draft never became a request: its answers go too"
    )
    assert still_open.documents.exists(), "an open application is never purged"


def test_retention_purge_rejects_nonsense_options(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_service_documents", "--days", "-1", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("purge_service_documents", "--batch-size", "0", stdout=io.StringIO())


def test_statistics_per_service_and_month_with_exports(
    client: Client, dewi: User, operator: User, pimpinan_kota: User, kk_service: Service
) -> None:
    with time_machine.travel(MONDAY, tick=False) as traveller:
        quick = filled_kk_application(dewi, kk_service)
        process_to_completion(quick, operator)  # done at once: within the 24-hour SLA
        slow = filled_kk_application(dewi, kk_service)
        services.application_submit(application=slow, actor=dewi)
        traveller.shift(dt.timedelta(hours=48))
        slow.refresh_from_db()
        services.application_start_verification(application=slow, actor=operator)
        services.application_request_revision(
            application=slow, actor=operator, reason="Kurang jelas"
        )
    [row] = service_statistics(
        kk_service.tenant, first=dt.date(2026, 11, 1), last=dt.date(2026, 11, 1)
    )
    assert (
        service_statistics(kk_service.tenant, first=dt.date(2026, 12, 1), last=dt.date(2027, 1, 1))
        == []
    ), "outside the range"
    assert (row.month, row.applications, row.completed) == ("2026-11", 2, 1)
    assert row.within_sla == 1.0 and row.revision_rate == 0.5 and row.online_share == 1.0
    assert row.median_hours == 0.0

    client.force_login(pimpinan_kota)
    period = "?dari=2026-01&sampai=2026-12"
    page = client.get(f"{BASE}/statistik/{period}").content.decode()
    assert 'data-chart="chart-volume"' in page and "echarts.min.js" in page
    csv = client.get(f"{BASE}/statistik.csv{period}").content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("Kartu Keluarga baru / perubahan,2026-11,2,1,100.0")
    workbook = load_workbook(io.BytesIO(client.get(f"{BASE}/statistik.xlsx{period}").content))
    assert workbook.active["C2"].value == 2
    assert WOMAN_NIK not in csv
    for bad in (
        "dari=2026-13",
        "dari=2026-12&sampai=2026-01",
        "dari=2020-01&sampai=2026-12",
        "sampai=²⁰²⁶-01",
        "dari=99999-01",
    ):
        response = client.get(f"{BASE}/statistik.csv?{bad}")
        assert response.status_code == 400, bad
        assert "Rentang bulan tidak sah" in response.content.decode()
    client.force_login(dewi)
    assert client.get(f"{BASE}/statistik/").status_code == 404


def test_the_desk_queue_is_ordered_by_deadline_filterable_and_its_queries_do_not_grow(
    client: Client, dewi: User, operator: User, kk_service: Service
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(MONDAY, tick=False):
        first = filled_kk_application(dewi, kk_service)
        services.application_submit(application=first, actor=dewi)
    client.force_login(operator)
    with CaptureQueriesContext(connection) as one:
        client.get(f"{BASE}/meja/")
    later = []
    for _ in range(4):
        application = filled_kk_application(dewi, kk_service)
        services.application_submit(application=application, actor=dewi)
        later.append(application)
    with CaptureQueriesContext(connection) as five:
        page = client.get(f"{BASE}/meja/").content.decode()
    assert len(five) == len(one)
    first.refresh_from_db()
    assert page.index(first.number) < page.index(Application.objects.get(pk=later[0].pk).number)
    overdue = client.get(f"{BASE}/meja/?overdue=1").content.decode()
    assert first.number in overdue and Application.objects.get(pk=later[0].pk).number not in overdue
    services.application_start_verification(application=later[1], actor=operator)
    verifying = client.get(f"{BASE}/meja/?status=in_verification").content.decode()
    assert (
        Application.objects.get(pk=later[1].pk).number in verifying
        and first.number not in verifying
    )


def test_the_desk_queue_pages_by_keyset_with_a_fixed_number_of_queries(  # noqa: PLR0917 - fixtures
    client: Client,
    dewi: User,
    operator: User,
    kk_service: Service,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    from kotacerdas.services.views import opd_desk

    monkeypatch.setattr(opd_desk, "DESK_PAGE", 2)
    with time_machine.travel(MONDAY, tick=False) as traveller:
        submitted = []
        for _ in range(5):
            application = filled_kk_application(dewi, kk_service)
            submitted.append(services.application_submit(application=application, actor=dewi))
            traveller.shift(dt.timedelta(minutes=1))
    numbers = [a.number for a in submitted]  # deadlines in this order
    client.force_login(operator)
    seen: list[str] = []
    url = f"{BASE}/meja/"
    for _page in range(3):
        with django_assert_max_num_queries(12):
            page = client.get(url).content.decode()
        seen += [n for n in numbers if n in page]
        found = re.search(r'rel="next" href="([^"]+)"', page)
        if not found:
            break
        url = f"{BASE}/meja/{found.group(1).replace('&amp;', '&')}"
    assert seen == numbers, "every application once, nearest deadline first"
    assert client.get(f"{BASE}/meja/?setelah=abc").status_code == 400
    assert client.get(f"{BASE}/meja/?setelah=999999").status_code == 400
