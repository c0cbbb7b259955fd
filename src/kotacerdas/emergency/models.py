"""Call 112: calls, prank-call control, incidents, agencies, units and dispatches."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core import messages
from kotacerdas.core.i18n import ENGLISH_HELP, LocalizedName
from kotacerdas.core.lifecycle import Lifecycle, LifecycleEvent
from kotacerdas.core.workflow import Workflow


class CallType(models.TextChoices):
    NORMAL = "normal", _("Normal (laporan nyata)")
    GHOST = "ghost", _("Ghost (diam/terputus)")
    PRANK = "prank", _("Prank (iseng)")
    INFORMASI = "informasi", _("Informasi")


# Ghost and prank calls count towards the prank policy and are left out of incident statistics.
INVALID_CALL_TYPES = frozenset({CallType.GHOST, CallType.PRANK})


class State(models.TextChoices):
    NEW = "new", _("Baru")
    DISPATCHED = "dispatched", _("Diteruskan")
    ACKNOWLEDGED = "acknowledged", _("Diterima instansi")
    EN_ROUTE = "en_route", _("Tim bergerak")
    ON_SCENE = "on_scene", _("Tiba di lokasi")
    RESOLVED = "resolved", _("Tertangani")
    CLOSED = "closed", _("Ditutup")


OPEN_STATES = frozenset(State) - {State.CLOSED}
STATE_ORDER = {state: i for i, state in enumerate(State)}

INCIDENT_WORKFLOW = Workflow.build(
    "incident",
    [
        ("dispatch", [State.NEW], State.DISPATCHED),
        ("acknowledge", [State.DISPATCHED], State.ACKNOWLEDGED),
        ("depart", [State.DISPATCHED, State.ACKNOWLEDGED], State.EN_ROUTE),
        ("arrive", [State.DISPATCHED, State.ACKNOWLEDGED, State.EN_ROUTE], State.ON_SCENE),
        ("resolve", [State.ON_SCENE], State.RESOLVED),
        ("close", [State.RESOLVED], State.CLOSED),
    ],
    labels=cast(
        "dict[str, str]",
        {
            "dispatch": _("Teruskan"),
            "acknowledge": _("Diterima instansi"),
            "depart": _("Tim bergerak"),
            "arrive": _("Tiba di lokasi"),
            "resolve": _("Tertangani"),
            "close": _("Tutup"),
            **{s.value: s.label for s in State},
        },
    ),
)
# The incident timestamp each state sets (the "received" time comes from the call).
STATE_TIMESTAMP = {
    State.DISPATCHED: "dispatched_at",
    State.ACKNOWLEDGED: "acknowledged_at",
    State.EN_ROUTE: "en_route_at",
    State.ON_SCENE: "on_scene_at",
    State.RESOLVED: "resolved_at",
    State.CLOSED: "closed_at",
}
# Steps an agency reports for its own dispatch (and its unit).
AGENCY_STEPS = {"acknowledge": "acknowledged_at", "depart": "en_route_at", "arrive": "on_scene_at"}


class DeskPolicy(models.Model):
    """Per-tenant rules of the 112 desk. Defaults are Serang's (see docs/emergency.md)."""

    tenant = models.OneToOneField(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="emergency_policy",
        verbose_name=_("pemerintah daerah"),
    )
    prank_window_hours = models.PositiveSmallIntegerField(
        _("jendela hitung prank (jam)"), default=24, validators=[MinValueValidator(1)]
    )
    block_after = models.PositiveSmallIntegerField(
        _("blokir bila prank/ghost lebih dari"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Lebih dari jumlah ini dalam jendela hitung: nomor diblokir otomatis."),
    )
    block_hours = models.PositiveSmallIntegerField(
        _("lama blokir (jam)"), default=24, validators=[MinValueValidator(1)]
    )
    regulator_after = models.PositiveSmallIntegerField(
        _("laporkan ke regulator pada"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Pada jumlah prank/ghost ini dalam jendela hitung, "
            "nomor masuk daftar laporan regulator."
        ),
    )
    dispatch_target_minutes = models.PositiveSmallIntegerField(
        _("target diteruskan (menit sejak diterima)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
    )
    moving_target_minutes = models.PositiveSmallIntegerField(
        _("target tim bergerak (menit sejak diterima)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
    )

    class Meta:
        verbose_name = _("kebijakan 112")
        verbose_name_plural = _("kebijakan 112")

    def __str__(self) -> str:
        return str(self.tenant)


class IncidentCategory(LocalizedName, models.Model):
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, verbose_name=_("pemerintah daerah")
    )
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=100)
    name_en = models.CharField(
        _("nama (Inggris)"), max_length=100, blank=True, db_default="", help_text=ENGLISH_HELP
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["tenant", "order", "name"]
        verbose_name = _("kategori insiden")
        verbose_name_plural = _("kategori insiden")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="emergency_category_code")
        ]

    def __str__(self) -> str:
        return self.local_name


class Agency(models.Model):
    """A responding agency (Damkar, Polres, PSC 119, BPBD, PLN, …) as the region configures it."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, verbose_name=_("pemerintah daerah")
    )
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=150)
    short_name = models.CharField(_("singkatan"), max_length=40)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["tenant", "short_name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="emergency_agency_code")
        ]

    def __str__(self) -> str:
        return self.short_name


class AgencyAccount(models.Model):
    """Binds a user (a person or an agency system with an API token) to one agency.

    Such a user may update only its agency's units and the steps of incidents its
    agency was dispatched to. Kept here rather than as a new ``accounts.Role``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="emergency_agency",
        verbose_name=_("pengguna"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("instansi")
    )

    class Meta:
        verbose_name = _("akun instansi")
        verbose_name_plural = _("akun instansi")

    def __str__(self) -> str:
        return f"{self.user} → {self.agency}"


class UnitStatus(models.TextChoices):
    AVAILABLE = "available", _("Siaga")
    ASSIGNED = "assigned", _("Bertugas")
    OUT_OF_SERVICE = "out_of_service", _("Tidak beroperasi")


class Unit(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="units", verbose_name=_("instansi")
    )
    name = models.CharField(_("nama/kode unit"), max_length=80)
    status = models.CharField(
        _("status"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.AVAILABLE
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("unit")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="emergency_unit_name")
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.name}"


class CallQuerySet(models.QuerySet["Call"]):
    def invalid(self) -> CallQuerySet:
        return self.filter(call_type__in=INVALID_CALL_TYPES)


class Call(models.Model):
    """One answered call. The number is normalised to +62… when it can be; odd numbers
    (short codes, foreign, withheld) are kept as typed so that history still groups them."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, verbose_name=_("pemerintah daerah")
    )
    caller_number = models.CharField(_("nomor penelepon"), max_length=40)
    caller_number_raw = models.CharField(_("nomor seperti dicatat"), max_length=40)
    caller_name = models.CharField(_("nama penelepon"), max_length=120, blank=True)
    call_type = models.CharField(_("jenis panggilan"), max_length=12, choices=CallType.choices)
    note = models.TextField(_("catatan"), blank=True)
    taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("penerima"),
    )
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    incident = models.ForeignKey(
        "Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("insiden"),
    )
    idempotency_key = models.CharField(_("kunci idempotensi"), max_length=80, null=True, blank=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("panggilan")
        verbose_name_plural = _("panggilan")
        indexes = [
            # the prank counter and the caller history both look up one number over time
            models.Index(
                fields=["tenant", "caller_number", "received_at"], name="emergency_call_number"
            ),
            models.Index(fields=["tenant", "received_at"], name="emergency_call_received"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="emergency_call_idempotency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_call_type_display()} {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def is_valid(self) -> bool:
        return self.call_type not in INVALID_CALL_TYPES


class NumberBlockQuerySet(models.QuerySet["NumberBlock"]):
    def active(self) -> NumberBlockQuerySet:
        return self.filter(unblocked_at__isnull=True, until__gt=timezone.now())


class NumberBlock(models.Model):
    """A number blocked on the desk for a while after too many prank/ghost calls."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, verbose_name=_("pemerintah daerah")
    )
    number = models.CharField(_("nomor"), max_length=40)
    invalid_calls = models.PositiveIntegerField(_("jumlah prank/ghost saat diblokir"))
    blocked_at = models.DateTimeField(_("diblokir"), default=timezone.now)
    until = models.DateTimeField(_("diblokir sampai"))
    unblocked_at = models.DateTimeField(_("dibuka"), null=True, blank=True)
    unblocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuka oleh"),
    )
    unblock_reason = models.TextField(_("alasan dibuka"), blank=True)

    objects = NumberBlockQuerySet.as_manager()

    class Meta:
        ordering = ["-blocked_at"]
        verbose_name = _("blokir nomor")
        verbose_name_plural = _("blokir nomor")
        indexes = [
            models.Index(fields=["tenant", "number", "until"], name="emergency_block_number")
        ]

    def __str__(self) -> str:
        return self.number


class RegulatorReport(models.Model):
    """A number to report to the national regulator (Komdigi) for blocking."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, verbose_name=_("pemerintah daerah")
    )
    number = models.CharField(_("nomor"), max_length=40)
    invalid_calls = models.PositiveIntegerField(_("jumlah prank/ghost"))
    first_call_at = models.DateTimeField(_("panggilan pertama dalam jendela"))
    listed_at = models.DateTimeField(_("masuk daftar"), default=timezone.now)

    class Meta:
        ordering = ["-listed_at"]
        verbose_name = _("laporan ke regulator")
        verbose_name_plural = _("laporan ke regulator")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="emergency_regulator_number")
        ]

    def __str__(self) -> str:
        return self.number


class IncidentQuerySet(models.QuerySet["Incident"]):
    def open(self) -> IncidentQuerySet:
        return self.exclude(state=State.CLOSED)


class Incident(models.Model):
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, verbose_name=_("pemerintah daerah")
    )
    category = models.ForeignKey(
        IncidentCategory, on_delete=models.PROTECT, verbose_name=_("kategori")
    )
    # Empty only for an incident opened by a sensor alert far from any village centre.
    kelurahan = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan/desa"),
    )
    landmark = models.CharField(_("patokan/alamat"), max_length=255)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    description = models.TextField(_("uraian"))
    people_involved = models.CharField(_("orang terlibat"), max_length=255, blank=True)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.NEW, db_index=True
    )
    # Optimistic locking: every change bumps the version; a write with a stale version gets 409.
    version = models.PositiveIntegerField(_("versi"), default=1)
    received_at = models.DateTimeField(_("diterima"))
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("diteruskan"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("diterima instansi"), null=True, blank=True)
    en_route_at = models.DateTimeField(_("tim bergerak"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("tiba di lokasi"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("tertangani"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    field_report = models.TextField(_("laporan lapangan"), blank=True)
    closing_note = models.TextField(_("catatan penutupan"), blank=True)
    # Empty for an incident opened by a sensor alert (no person logged it).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    # Opened by a sensor alert: the alert's key (one open incident per key), its level and page.
    source_key = models.CharField(_("kunci peringatan"), max_length=200, blank=True, default="")
    alert_level = models.CharField(_("level peringatan"), max_length=40, blank=True, default="")
    source_url = models.URLField(_("tautan peringatan"), max_length=500, blank=True, default="")
    # Opened by the platform (a sensor alert): the place and description as a key of
    # ``core.messages`` and its parameters, rendered in the reader's language; ``landmark`` and
    # ``description`` then stay empty. Empty for incidents people logged (their text is data)
    # and for alert incidents from before keys, which keep the sentences they stored.
    message_key = models.CharField(_("pesan"), max_length=100, blank=True, db_default="")
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    # Seams to the complaints app (ids only: this app never imports it).
    source_complaint_id = models.PositiveBigIntegerField(_("dari aduan"), null=True, blank=True)
    followup_complaint_id = models.PositiveBigIntegerField(
        _("aduan tindak lanjut"), null=True, blank=True
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("insiden")
        verbose_name_plural = _("insiden")
        indexes = [
            models.Index(fields=["tenant", "state", "received_at"], name="emergency_incident_board")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source_complaint_id"],
                condition=Q(source_complaint_id__isnull=False),
                name="emergency_incident_from_complaint",
            ),
            models.UniqueConstraint(
                fields=["tenant", "source_key"],
                condition=Q(source_key__gt="") & ~Q(state="closed"),
                name="emergency_incident_open_alert",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def number(self) -> str:
        return f"112-{self.pk:06d}"

    def rendered(self) -> tuple[str, str]:
        """``(landmark, description)`` in the active language: from the message key when the
        platform opened it, otherwise as stored."""
        return messages.rendered(self.message_key, self.params, (self.landmark, self.description))

    @property
    def landmark_text(self) -> str:
        return self.rendered()[0]

    @property
    def description_text(self) -> str:
        return self.rendered()[1]


class Dispatch(models.Model):
    """One agency (and optionally one of its units) sent to an incident, with its own step times."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="dispatches", verbose_name=_("insiden")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("instansi")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatches",
        verbose_name=_("unit"),
    )
    dispatched_at = models.DateTimeField(_("diteruskan"))
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diteruskan oleh"),
    )
    acknowledged_at = models.DateTimeField(_("diterima instansi"), null=True, blank=True)
    en_route_at = models.DateTimeField(_("tim bergerak"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("tiba di lokasi"), null=True, blank=True)

    class Meta:
        ordering = ["dispatched_at", "pk"]
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [
            models.UniqueConstraint(fields=["incident", "agency"], name="emergency_dispatch_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident} → {self.agency}"


class EventKind(models.TextChoices):
    INCIDENT_CREATED = "incident_created", _("Insiden dicatat")
    DISPATCHED = "dispatched", _("Instansi ditugaskan")
    STEP = "step", _("Langkah insiden")
    UPDATED = "updated", _("Insiden diubah")
    UNIT = "unit", _("Status unit")
    CALL = "call", _("Panggilan dicatat")
    BLOCKED = "blocked", _("Nomor diblokir")
    UNBLOCKED = "unblocked", _("Blokir dibuka")
    ALERT = "alert", _("Peringatan sensor")


class DeskEvent(LifecycleEvent):
    """The audit trail of the desk and the feed of the live board (read by id, in order).

    An event of the lifecycle kit (``core.lifecycle``): incident transitions are written by
    ``transition``; calls, blocks and unit changes by the desk's services. ``incident`` is the
    subject (empty for events about a call, a block or a unit)."""

    kind = models.CharField(
        _("jenis"), max_length=20, choices=EventKind.choices, default=EventKind.STEP
    )
    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("insiden"),
    )
    dispatch = models.ForeignKey(
        Dispatch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("penugasan"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    idempotency_key = models.CharField(_("kunci idempotensi"), max_length=80, null=True, blank=True)

    class Meta(LifecycleEvent.Meta):
        ordering = ["pk"]
        verbose_name = _("peristiwa 112")
        verbose_name_plural = _("peristiwa 112")
        indexes = [
            models.Index(fields=["tenant", "id"], name="emergency_event_feed"),
            models.Index(fields=["tenant", "created_at"], name="emergency_event_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="emergency_event_idempotency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M:%S}"

    @property
    def action_label(self) -> str:
        return INCIDENT_WORKFLOW.labels.get(self.action, self.action)

    @property
    def note_text(self) -> str:
        """The note in the active language: a platform note is stored as ``data["message"]``
        (a key of ``core.messages``) and ``data["params"]``; a person's note as typed."""
        data = self.data or {}
        return messages.rendered(data.get("message", ""), data.get("params", {}), (self.note, ""))[
            0
        ]

    @property
    def state_label(self) -> str:
        return INCIDENT_WORKFLOW.labels.get(self.to_state, self.to_state)


INCIDENT_LIFECYCLE = Lifecycle(
    workflow=INCIDENT_WORKFLOW,
    event_model=DeskEvent,
    state_field="state",
    subject_field="incident",
)
