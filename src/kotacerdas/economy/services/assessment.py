"""The ADWI self-assessment: a form per year carried forward from the last one, its evidence
files, submission and the tourism office's review."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.uploads import evidence_check
from kotacerdas.economy.config import ADWI_CATEGORIES
from kotacerdas.economy.models import (
    Assessment,
    EvidenceFile,
    TourismVillage,
)


def assessment_current(*, village: TourismVillage, year: int) -> Assessment:
    """This year's assessment, or (unsaved, for a page: a GET writes nothing) the new one it
    would start as: a copy of the latest earlier year, so that nothing is typed twice."""
    existing = Assessment.objects.filter(village=village, year=year).first()
    if existing is not None:
        return existing
    previous = Assessment.objects.filter(village=village, year__lt=year).order_by("-year").first()
    return Assessment(
        village=village, year=year, answers=dict(previous.answers) if previous else {}
    )


def assessment_start(*, village: TourismVillage, year: int) -> Assessment:
    """This year's assessment, stored: a new one starts as a copy of the latest earlier year,
    so that nothing is typed twice."""
    existing = Assessment.objects.filter(village=village, year=year).first()
    if existing is not None:
        return existing
    previous = Assessment.objects.filter(village=village, year__lt=year).order_by("-year").first()
    answers = dict(previous.answers) if previous else {}
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(
            village=village, year=year, defaults={"answers": answers}
        )
        if created and previous is not None:
            # By reference: last year's files are this year's too, nothing is uploaded twice.
            assessment.evidence_files.set(previous.evidence_files.all())
    return assessment


def assessment_save(*, assessment: Assessment, answers: dict[str, dict[str, Any]]) -> Assessment:
    if assessment.status != Assessment.Status.DRAFT:
        raise DomainError(_("Penilaian yang sudah diajukan tidak dapat diubah."), code="not_draft")
    clean: dict[str, dict[str, Any]] = {}
    for code in ADWI_CATEGORIES:
        item = answers.get(code) or {}
        score = item.get("score")
        if score is not None and (not isinstance(score, int) or not 1 <= score <= 5):
            raise DomainError(_("Skor 1 sampai 5."), code="invalid_score")
        clean[code] = {
            "score": score,
            "note": str(item.get("note", ""))[:1000],
            "evidence": str(item.get("evidence", ""))[:300],
        }
    assessment.answers = clean
    assessment.save(update_fields=["answers", "updated_at"])
    return assessment


def assessment_submit(*, assessment: Assessment) -> Assessment:
    missing = [c for c in ADWI_CATEGORIES if not (assessment.answers.get(c) or {}).get("score")]
    if missing:
        raise DomainError(_("Semua kategori perlu diberi skor."), code="incomplete")
    updated = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT).update(
        status=Assessment.Status.SUBMITTED
    )
    if not updated:
        raise DomainError(_("Penilaian ini sudah diajukan."), code="not_draft")
    assessment.status = Assessment.Status.SUBMITTED
    return assessment


def assessment_review(
    *, assessment: Assessment, village_class: str, note: str = "", today: dt.date | None = None
) -> Assessment:
    """The tourism office reviews and sets the village's class."""
    today = today or timezone.localdate()
    with transaction.atomic():
        updated = Assessment.objects.filter(
            pk=assessment.pk, status=Assessment.Status.SUBMITTED
        ).update(status=Assessment.Status.REVIEWED, reviewed_class=village_class, review_note=note)
        if not updated:
            raise DomainError(
                _("Hanya penilaian yang diajukan dapat ditelaah."), code="not_submitted"
            )
        TourismVillage.objects.filter(pk=assessment.village_id).update(
            village_class=village_class, class_assessed_on=today
        )
    assessment.refresh_from_db()
    return assessment


def category_scores(assessment: Assessment) -> dict[str, int | None]:
    return {code: (assessment.answers.get(code) or {}).get("score") for code in ADWI_CATEGORIES}


EVIDENCE_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg")
MAX_EVIDENCE_PER_CATEGORY = 10


def _draft(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise DomainError(_("Penilaian yang sudah diajukan tidak dapat diubah."), code="not_draft")


def evidence_add(
    *, assessment: Assessment, category: str, upload: UploadedFile, actor: User
) -> EvidenceFile:
    """Stores a PDF or image (checked by its bytes in ``core.uploads``) in private storage and
    attaches it to ``assessment`` under ``category``."""
    _draft(assessment)
    if category not in ADWI_CATEGORIES:
        raise DomainError(_("Kategori tidak dikenal."), code="invalid_category")
    if PurePath(upload.name or "").suffix.lower() not in EVIDENCE_EXTENSIONS:
        raise DomainError(
            _("Jenis berkas tidak diterima. Unggah PDF, PNG atau JPG."), code="file_type"
        )
    checked = evidence_check(upload)
    attached = assessment.evidence_files.filter(category=category).count()
    if attached >= MAX_EVIDENCE_PER_CATEGORY:
        raise DomainError(
            _("Paling banyak %(n)d berkas per kategori.") % {"n": MAX_EVIDENCE_PER_CATEGORY},
            code="too_many_files",
        )
    with transaction.atomic():
        evidence = EvidenceFile(
            village_id=assessment.village_id,
            category=category,
            original_name=checked.name,
            content_type=checked.content_type,
            size=upload.size or 0,
            uploaded_by=actor,
        )
        evidence.file.save(f"{uuid.uuid4().hex}{checked.extension}", upload, save=False)
        evidence.save()
        assessment.evidence_files.add(evidence)
    return evidence


def evidence_remove(*, assessment: Assessment, evidence_pk: int) -> None:
    """Detaches a file from this year's draft; the file itself goes only when no other year's
    assessment still refers to it."""
    _draft(assessment)
    evidence = assessment.evidence_files.filter(pk=evidence_pk).first()
    if evidence is None:
        raise DomainError(_("Berkas tidak ditemukan."), code="not_found", status=404)
    with transaction.atomic():
        assessment.evidence_files.remove(evidence)
        if not evidence.assessments.exists():
            name = evidence.file.name
            evidence.delete()
            transaction.on_commit(lambda: evidence.file.storage.delete(name))
