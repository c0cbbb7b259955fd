"""The whole path through HTTP: a citizen applies for a new KK after marrying, the Disdukcapil
operator asks for a clearer marriage book, the citizen replaces it, the operator processes the
application and attaches the e-signed KK, the citizen downloads it."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from kotacerdas.accounts.models import User
from kotacerdas.notifications.models import Notification
from kotacerdas.notifications.services import deliver_due
from kotacerdas.services.models import Application, Event, Notice, Service, Status
from tests.conftest import search
from tests.services.conftest import KK_NUMBER, WOMAN_NIK, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db
BASE = "/kota-serang/layanan"


def upload(client: Client, app_pk, requirement_pk, name, content, content_type):  # type: ignore[no-untyped-def]  # noqa: PLR0917 - mirrors SimpleUploadedFile
    return client.post(
        f"{BASE}/permohonan/{app_pk}/dokumen/",
        {
            "requirement": requirement_pk,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def fetch(client: Client, url: str) -> tuple[int, str | None, bytes]:
    """GET a file response, read it and close it; returns (status, content type, body)."""
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code, response.get("Content-Type"), b""
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    # Not response.close(): outside a request its request_finished signal closes the test's
    # database connection.
    for closer in response._resource_closers:  # not in the stubs
        closer()
    return response.status_code, response.get("Content-Type"), body


def signed_links(html: str) -> list[str]:
    return re.findall(r'href="(/kota-serang/layanan/berkas/[^"]+/)"', html)


def test_new_kk_after_marriage_from_application_to_download(  # noqa: PLR0917 - fixtures
    client: Client,
    dewi: User,
    operator: User,
    kk_service: Service,
    citra: User,
    budi: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(dewi)
    token = str(uuid.uuid4())
    first = client.post(f"{BASE}/katalog/kk-baru/ajukan/", {"token": token})
    again = client.post(f"{BASE}/katalog/kk-baru/ajukan/", {"token": token})
    assert first["Location"] == again["Location"], "a double tap on “Ajukan” makes one draft"
    application = Application.objects.get(applicant=dewi)
    assert application.status == Status.DRAFT

    form = {
        "f_nik": "3673017203950001",
        "f_nama": "Siti Aminah",
        "f_kelurahan": "36.73.01.1010",
        "f_alamat": "Jl. Kaligandu RT 02/RW 03",
        "f_alasan": "Menikah",
        "f_telepon": "081234567890",
        "fulfilment": "digital",
    }
    page = client.post(f"{BASE}/permohonan/{application.pk}/isi/", form)
    assert page.status_code == 200
    assert "bukan tanggal lahir yang sah" in page.content.decode()
    form["f_nik"] = WOMAN_NIK
    form["f_kk_lama"] = KK_NUMBER
    assert client.post(f"{BASE}/permohonan/{application.pk}/isi/", form).status_code == 302

    marriage, _old_kk = list(kk_service.requirements.order_by("order"))
    wrong = upload(
        client,
        application.pk,
        marriage.pk,
        "buku-nikah.docx",
        b"PK\x03\x04 word",
        "application/msword",
    )
    assert wrong.status_code == 400 and "Jenis berkas tidak diterima" in wrong.content.decode()
    broken = upload(
        client,
        application.pk,
        marriage.pk,
        "buku-nikah.pdf",
        b"%PDF-1.7\n garbage",
        "application/pdf",
    )
    assert "rusak" in broken.content.decode()
    huge = upload(
        client,
        application.pk,
        marriage.pk,
        "foto.jpg",
        b"\xff\xd8" + b"0" * (9 * 1024 * 1024),
        "image/jpeg",
    )
    assert "terlalu besar" in huge.content.decode()
    truncated = upload(
        client, application.pk, marriage.pk, "foto.jpg", jpeg_bytes((400, 300))[:300], "image/jpeg"
    )
    assert "rusak" in truncated.content.decode()
    photo = upload(
        client, application.pk, marriage.pk, "IMG_20261123.jpg", jpeg_bytes(), "image/jpeg"
    )
    assert photo.status_code == 302, "a phone photo is accepted"

    client.post(f"{BASE}/permohonan/{application.pk}/periksa/")
    client.post(f"{BASE}/permohonan/{application.pk}/periksa/")  # a double submit
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.number.startswith("KK-BARU-")
    assert application.nik == WOMAN_NIK
    assert Event.objects.filter(application=application, action="submit").count() == 1
    assert application.sla_deadline is not None

    # Only the Disdukcapil operators of Kota Serang see it.
    desk_url = f"{BASE}/meja/{application.pk}/"
    for outsider in (citra, budi, dewi):
        client.force_login(outsider)
        assert client.get(desk_url).status_code == 404
    client.force_login(operator)
    queue = client.get(f"{BASE}/meja/").content.decode()
    assert application.number in queue
    desk = client.get(desk_url).content.decode()
    assert "Siti Aminah" in desk and WOMAN_NIK in desk
    assert "Kaligandu, Kec. Serang" in desk
    client.post(f"{desk_url}start_verification/")
    document = application.documents.get()
    assert (
        client.post(
            f"{desk_url}dokumen/{document.pk}/", {"verdict": "reject", "reason": ""}
        ).status_code
        == 302
    )
    document.refresh_from_db()
    assert document.status == "pending", "a rejection needs a reason"
    client.post(
        f"{desk_url}dokumen/{document.pk}/",
        {"verdict": "reject", "reason": "Foto buram, halaman 2 tidak terbaca"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{desk_url}request_revision/",
            {"reason": "Mohon unggah salinan buku nikah yang lebih jelas."},
        )
    application.refresh_from_db()
    assert application.status == Status.NEEDS_REVISION
    assert mail.outbox == [], "nothing is sent inside the request: the outbox worker sends it"
    deliver_due()
    assert len(mail.outbox) == 1
    assert dewi.email in mail.outbox[0].to
    assert "lebih jelas" in mail.outbox[0].body and "halaman 2" in mail.outbox[0].body
    assert WOMAN_NIK not in mail.outbox[0].body

    client.force_login(dewi)
    assert "1 pemberitahuan baru" in client.get(f"{BASE}/").content.decode()
    mine = client.get(f"{BASE}/permohonan/").content.decode()
    assert "lebih jelas" in mine
    assert Notice.objects.get(user=dewi).read_at is None, "a GET writes nothing"
    client.post(f"{BASE}/permohonan/")  # "Tandai sudah dibaca"
    assert Notice.objects.get(user=dewi).read_at is not None
    client.cookies["django_language"] = "en"
    assert "Your application needs a revision" in client.get(f"{BASE}/permohonan/").content.decode()
    del client.cookies["django_language"]
    detail = client.get(f"{BASE}/permohonan/{application.pk}/").content.decode()
    assert "Perlu perbaikan" in detail and "halaman 2 tidak terbaca" in detail
    blocked = client.post(
        f"{BASE}/permohonan/{application.pk}/periksa/", follow=True
    ).content.decode()
    assert "Ganti" in blocked, "the rejected document must be replaced first"
    upload(
        client, application.pk, marriage.pk, "buku-nikah-jelas.pdf", pdf_bytes(), "application/pdf"
    )
    client.post(f"{BASE}/permohonan/{application.pk}/periksa/")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    client.force_login(operator)
    client.post(f"{desk_url}start_verification/")
    document = application.documents.get()
    assert document.original_name == "buku-nikah-jelas.pdf"
    desk = client.get(desk_url).content.decode()
    assert '<span class="badge status">Sedang diverifikasi</span>' in desk, "what it is, not done"
    client.cookies["django_language"] = "en"
    english = client.get(desk_url).content.decode()
    assert '<span class="badge status">Being verified</span>' in english
    del client.cookies["django_language"]
    links = signed_links(desk)
    assert links and fetch(client, links[0])[0] == 200
    client.post(f"{desk_url}dokumen/{document.pk}/", {"verdict": "accept"})
    client.post(f"{desk_url}verify/")
    not_yet = client.post(f"{desk_url}mark_ready/", follow=True).content.decode()
    assert "SIAK" in not_yet
    client.post(f"{desk_url}siak/", {"reference": "SIAK-3673-2026-0001"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{desk_url}mark_ready/",
            {
                "result": SimpleUploadedFile("kk.pdf", pdf_bytes(), content_type="application/pdf"),
                "note": "",
            },
        )
    application.refresh_from_db()
    assert (
        application.status == Status.READY and application.siak_reference == "SIAK-3673-2026-0001"
    )
    deliver_due()
    deliver_due()
    assert len(mail.outbox) == 2, "each message once, however often the worker runs"
    bell = Notification.objects.filter(user=dewi, channel="inapp").count()
    assert bell == 2, "the bell shows the revision request and the ready notice"

    # The operator's signed links are worthless to anyone else.
    client.force_login(dewi)
    assert fetch(client, links[0])[0] == 404
    detail = client.get(f"{BASE}/permohonan/{application.pk}/").content.decode()
    status, content_type, body = fetch(
        client, search(r'id="download-result" href="([^"]+)"', detail).group(1)
    )
    assert (status, content_type) == (200, "application/pdf") and body.startswith(b"%PDF")
    application.refresh_from_db()
    assert application.status == Status.COMPLETED
    actions = list(application.events.values_list("action", flat=True))
    for expected in (
        "created",
        "submit",
        "request_revision",
        "resubmit",
        "verify",
        "siak_record",
        "mark_ready",
        "complete",
    ):
        assert expected in actions


def test_another_citizen_and_other_tenants_get_404(
    client: Client, dewi: User, eko: User, kk_service: Service
) -> None:
    client.force_login(dewi)
    client.post(f"{BASE}/katalog/kk-baru/ajukan/", {"token": str(uuid.uuid4())})
    application = Application.objects.get(applicant=dewi)
    client.force_login(eko)
    for suffix in ("", "isi/", "dokumen/", "periksa/", "janji/"):
        assert client.get(f"{BASE}/permohonan/{application.pk}/{suffix}").status_code == 404
    client.force_login(dewi)
    assert client.get(f"/kabupaten-serang/layanan/permohonan/{application.pk}/").status_code == 404


def test_an_anonymous_visitor_sees_the_catalogue_but_must_sign_in_to_apply(
    client: Client, kk_service: Service
) -> None:
    home = client.get(f"{BASE}/").content.decode()
    assert "Kartu Keluarga baru" in home and "Kartu pencari kerja (AK/1" in home
    detail = client.get(f"{BASE}/katalog/kk-baru/").content.decode()
    assert "Buku nikah" in detail and "Gratis" in detail
    assert client.post(f"{BASE}/katalog/kk-baru/ajukan/").status_code == 302
    assert not Application.objects.exists()
    catalogue = client.get("/api/v1/services/kota-serang/catalogue").json()
    kk = next(s for s in catalogue if s["code"] == "kk-baru")
    assert kk["opd"] == "Disdukcapil" and kk["fulfilment"] == ["pickup", "digital"]
    assert {
        "name": "KK lama",
        "name_en": "Old family card",
        "required": False,
        "accepted_types": ["pdf", "jpg", "png"],
    } in kk["requirements"]


def test_the_catalogue_speaks_english_on_request(client: Client, kk_service: Service) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": f"{BASE}/"})
    page = client.get(f"{BASE}/katalog/kk-baru/").content.decode()
    assert "Documents to prepare" in page and "Free" in page


def test_a_half_filled_draft_is_kept_on_the_server(
    client: Client, dewi: User, kk_service: Service
) -> None:
    client.force_login(dewi)
    client.post(f"{BASE}/katalog/kk-baru/ajukan/", {"token": str(uuid.uuid4())})
    application = Application.objects.get(applicant=dewi)
    saved = client.post(
        f"{BASE}/permohonan/{application.pk}/isi/",
        {"f_nama": "Siti", "save_draft": "1"},
        follow=True,
    )
    assert "Draf tersimpan" in saved.content.decode()
    # Another device, another session: the draft and its answers are there.
    client.logout()
    client.force_login(dewi)
    form = client.get(f"{BASE}/permohonan/{application.pk}/isi/").content.decode()
    assert 'value="Siti"' in form
