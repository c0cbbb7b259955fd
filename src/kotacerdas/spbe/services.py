"""Every write to SPBE assessments. Each runs in a transaction and records an event."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import Conflict, DomainError
from kotacerdas.core.lifecycle import lock, record, transition
from kotacerdas.core.uploads import evidence_check
from kotacerdas.spbe.models import (
    Assessment,
    AssessmentStatus,
    Evidence,
    Framework,
    IndicatorScore,
)
from kotacerdas.spbe.workflow import ASSESSMENT_FLOW, ASSESSMENT_LIFECYCLE
from kotacerdas.tenants.models import Tenant

MIN_YEAR = 2018  # the first national SPBE evaluation
MAX_YEAR = 2100


def _event(
    assessment: Assessment,
    actor: User,
    action: str,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    record(
        assessment,
        lifecycle=ASSESSMENT_LIFECYCLE,
        action=action,
        actor=actor,
        note=note,
        data=data,
    )


def _lock(assessment: Assessment) -> Assessment:
    """The assessment's own row, locked (never the framework's, which every tenant shares, nor
    the tenant's); call inside ``transaction.atomic``."""
    return lock(assessment)


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise Conflict(
            _("Penilaian %(year)s sudah final. Buka kembali untuk mengubahnya.")
            % {"year": assessment.year},
            code="assessment_final",
        )


@transaction.atomic
def assessment_create(
    *,
    tenant: Tenant,
    year: int,
    actor: User,
    framework: Framework | None = None,
    copy_previous: bool = False,
    is_demo: bool = False,
) -> Assessment:
    """A draft assessment with every indicator of the framework, unscored, or with the levels
    and justifications of the tenant's latest earlier assessment when ``copy_previous``."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            _("Tahun harus antara %(low)s dan %(high)s.") % {"low": MIN_YEAR, "high": MAX_YEAR},
            code="invalid_year",
        )
    framework = framework or Framework.objects.current()
    if framework is None:
        raise DomainError(_("Belum ada kerangka penilaian yang aktif."), code="no_framework")
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                tenant=tenant, framework=framework, year=year, is_demo=is_demo
            )
    except IntegrityError:
        raise Conflict(
            _("Penilaian tahun %(year)s sudah ada.") % {"year": year}, code="assessment_exists"
        ) from None
    previous: dict[int, tuple[int | None, str]] = {}
    if copy_previous:
        earlier = (
            Assessment.objects.filter(tenant=tenant, framework=framework, year__lt=year)
            .order_by("-year")
            .first()
        )
        if earlier is not None:
            previous = {s.indicator_id: (s.level, s.justification) for s in earlier.scores.all()}
    IndicatorScore.objects.bulk_create(
        IndicatorScore(
            assessment=assessment,
            indicator=indicator,
            level=previous.get(indicator.pk, (None, ""))[0],
            justification=previous.get(indicator.pk, (None, ""))[1],
        )
        for indicator in framework.indicators.all()
    )
    _event(assessment, actor, "create", data={"copied_previous": True} if previous else None)
    return assessment


def _check_level(assessment: Assessment, number: int, level: int) -> None:
    framework = assessment.framework
    if isinstance(level, bool) or not framework.min_level <= level <= framework.max_level:
        raise DomainError(
            _("Tingkat indikator %(number)s harus bilangan bulat %(low)s sampai %(high)s.")
            % {"number": number, "low": framework.min_level, "high": framework.max_level},
            code="invalid_level",
        )


@transaction.atomic
def score_update(
    *, assessment: Assessment, number: int, level: int, justification: str, actor: User
) -> IndicatorScore:
    """Record the level and justification of one indicator of a draft assessment."""
    assessment = _lock(assessment)
    _require_draft(assessment)
    _check_level(assessment, number, level)
    score = IndicatorScore.objects.select_related("indicator").get(
        assessment=assessment, indicator__number=number
    )
    old = score.level
    score.level = level
    score.justification = justification.strip()
    score.save(update_fields=["level", "justification", "updated_at"])
    _event(assessment, actor, "score", f"{number}: {old} -> {level}")
    return score


@transaction.atomic
def assessment_set_levels(
    *, assessment: Assessment, levels: Mapping[int, int], actor: User, justification: str = ""
) -> None:
    """Set many levels at once (imports and demo data); each must be valid."""
    assessment = _lock(assessment)
    _require_draft(assessment)
    scores = {s.indicator.number: s for s in assessment.scores.select_related("indicator")}
    for number, level in levels.items():
        if number not in scores:
            raise DomainError(
                _("Indikator “%(key)s” tidak ada dalam kerangka %(framework)s.")
                % {"key": number, "framework": assessment.framework.name},
                code="unknown_indicator",
            )
        _check_level(assessment, number, level)
        scores[number].level = level
        if justification:
            scores[number].justification = justification
    IndicatorScore.objects.bulk_update(scores.values(), ["level", "justification"])
    _event(assessment, actor, "score_bulk", data={"count": len(levels)})


@transaction.atomic
def assessment_transition(*, assessment: Assessment, action: str, actor: User) -> Assessment:
    """Finalize (every indicator must have a level) or reopen an assessment."""
    assessment = _lock(assessment)
    ASSESSMENT_FLOW.target(assessment.status, action)  # a wrong state is reported first
    if action == "finalize":
        missing = (
            assessment.scores.filter(level__isnull=True)
            .order_by("indicator__number")
            .values_list("indicator__number", flat=True)
        )
        if missing:
            raise DomainError(
                _("Belum bisa final: tingkat indikator %(numbers)s belum diisi.")
                % {"numbers": ", ".join(str(n) for n in missing[:10])},
                code="incomplete",
            )
    return transition(assessment, action, lifecycle=ASSESSMENT_LIFECYCLE, actor=actor)


def _evidence_name(assessment: Assessment, extension: str) -> str:
    # A random name: the original file name (which may hold personal data) stays in the database.
    return f"{assessment.tenant_id}/{uuid.uuid4().hex}{extension}"


@transaction.atomic
def evidence_add(*, score: IndicatorScore, upload: UploadedFile, actor: User) -> Evidence:
    """Attach a content-checked file, in private storage, to an indicator of a draft assessment.

    Idempotent: the same file again on the same indicator returns the existing evidence."""
    assessment = _lock(score.assessment)
    _require_draft(assessment)
    checked = evidence_check(upload)
    extension, content_type = checked.extension, checked.content_type
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    existing = Evidence.objects.filter(score=score, sha256=digest.hexdigest()).first()
    if existing is not None:
        return existing
    evidence = Evidence(
        sha256=digest.hexdigest(),
        score=score,
        original_name=(upload.name or "bukti")[-200:],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    evidence.file.save(_evidence_name(assessment, extension), upload, save=False)
    evidence.save()
    _event(assessment, actor, "evidence_add", f"{score.indicator.number}: {evidence.original_name}")
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: User) -> None:
    assessment = _lock(evidence.score.assessment)
    _require_draft(assessment)
    name = evidence.file.name
    storage = evidence.file.storage
    number = evidence.score.indicator.number
    _event(assessment, actor, "evidence_delete", f"{number}: {evidence.original_name}")
    evidence.delete()
    # Remove the file only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))
