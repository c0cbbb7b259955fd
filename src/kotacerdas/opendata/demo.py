"""Demo catalogue for both Serang tenants: a few OPD datasets (illustrative figures, marked as
such) and every automatic dataset from the platform's own demo data. Idempotent."""

from __future__ import annotations

import csv
import hashlib
import io

from django.utils import timezone

from kotacerdas.opendata import platform, services
from kotacerdas.opendata.models import Dataset
from kotacerdas.regions.selectors import region_children
from kotacerdas.tenants.models import Opd, Tenant

NOTE = "Data contoh untuk demonstrasi platform, bukan data resmi."


def _figure(seed: str, low: int, high: int) -> int:
    digest = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16)
    return low + digest % (high - low)


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _publish(
    tenant: Tenant,
    *,
    name: str,
    title: str,
    opd: str,
    header: list[str],
    rows: list[list[object]],
    schema_extra: dict[str, dict[str, str]],
    groups: list[str],
    tags: list[str],
    primary_key: list[str],
) -> None:
    if Dataset.objects.filter(tenant=tenant, name=name).exists():
        return
    owner = Opd.objects.get(tenant=tenant, acronym=opd)
    dataset = services.dataset_create(
        tenant=tenant,
        opd=owner,
        actor=None,
        title=title,
        name=name,
        notes=NOTE,
        groups=groups,
        tags=tags,
        frequency="ANNUAL",
        spatial=[tenant.region_id],
        data_standard={
            "konsep": title,
            "satuan": next(iter(schema_extra.values())).get("satuan", ""),
        },
        ms_keg={"penyelenggara": owner.name},
    )
    resource = services.resource_create(dataset=dataset, actor=None, name=title, format="CSV")
    version = services.version_upload(
        resource=resource, actor=None, content=_csv(header, rows), filename=f"{name}.csv", note=NOTE
    )
    schema = {
        "fields": [{**f, **schema_extra.get(f["name"], {})} for f in version.schema["fields"]],
        "primaryKey": primary_key,
    }
    services.version_confirm(version=version, actor=None, schema=schema)
    for action in ("submit", "approve", "publish"):
        dataset = services.dataset_transition(dataset=dataset, action=action, actor=None)


def load_demo(*, password: str) -> None:
    today = timezone.localdate()
    for tenant in Tenant.objects.filter(region_id__in=["36.73", "36.04"]):
        services.groups_ensure(tenant=tenant)
        kecamatan = region_children(tenant.region)
        _publish(
            tenant,
            name="penduduk-per-kecamatan",
            title="Jumlah penduduk per kecamatan dan jenis kelamin",
            opd="Disdukcapil",
            header=["kode_kecamatan", "kecamatan", "jenis_kelamin", "jumlah"],
            rows=[
                [k.code, k.name, sex, _figure(k.code + sex, 20000, 120000)]
                for k in kecamatan
                for sex in ("L", "P")
            ],
            schema_extra={
                "kode_kecamatan": {
                    "title": "Kode kecamatan",
                    "klasifikasi": "Kode wilayah Kemendagri",
                },
                "jumlah": {
                    "title": "Jumlah penduduk",
                    "satuan": "jiwa",
                    "description": "Penduduk terdaftar",
                },
            },
            groups=["kependudukan", "smart-society"],
            tags=["penduduk", "kecamatan"],
            primary_key=["kode_kecamatan", "jenis_kelamin"],
        )
        _publish(
            tenant,
            name="panjang-jalan-per-kecamatan",
            title="Panjang jalan menurut kondisi per kecamatan",
            opd="DPUPR" if tenant.region_id == "36.73" else "PUPR",
            header=["kode_kecamatan", "kecamatan", "baik_km", "sedang_km", "rusak_km"],
            rows=[
                [
                    k.code,
                    k.name,
                    _figure(k.code + "b", 10, 60),
                    _figure(k.code + "s", 2, 20),
                    _figure(k.code + "r", 0, 10),
                ]
                for k in kecamatan
            ],
            schema_extra={"baik_km": {"title": "Kondisi baik", "satuan": "km"}},
            groups=["infrastruktur", "smart-living"],
            tags=["jalan", "kecamatan"],
            primary_key=["kode_kecamatan"],
        )
        for table in platform.tables_for(tenant, today=today):
            services.platform_dataset_publish(tenant=tenant, table=table)
