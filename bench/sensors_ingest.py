"""Sensor ingestion, end to end over MQTT, against a bare COPY ceiling in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kc_sensors_bench \\
        .venv/bin/python bench/sensors_ingest.py [--readings 100000] [--devices 20]

1. Mosquitto (throwaway, dynamic-security plugin, per-device credentials): a separate process
   publishes the readings as the devices (platform topic, 20 readings per message, QoS 1); one
   ``MosquittoIngestor`` worker in this process writes them through ``ingestion.ingest``.
2. The platform's own endpoint ``serve_mqtt`` (ThingsBoard ``v1/devices/me/telemetry``), same
   load, once with MQTT 3.1.1 (amqtt) and once with MQTT 5 (the endpoint's own session).
3. Ceiling: the same number of rows written into ``sensors_reading`` by psycopg ``COPY``.

The one-year chart at a large raw table is ``bench/sensors_chart.py``.

Prints JSON: readings/s stored end to end for each path, the ceiling and the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")

PER_MESSAGE = 20


def publish(  # noqa: PLR0917 - a multiprocessing target takes positional args
    kind: str, host: str, port: int, creds: list[tuple[str, str, str]], readings: int, start_ms: int
) -> None:
    """In a separate process: every device publishes its share of readings, QoS 1."""
    import paho.mqtt.client as mqtt

    protocol = mqtt.MQTTv5 if kind == "own5" else mqtt.MQTTv311
    import threading

    clients = []
    connected = []
    for uid, password, username in creds:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=protocol)
        client.username_pw_set(username, password or None)
        client.max_inflight_messages_set(1000)
        done = threading.Event()
        client.on_connect = lambda _c, _u, _f, reason, _p, done=done: (
            None if reason.is_failure else done.set()
        )
        client.connect(host, port)
        client.loop_start()
        clients.append((uid, client))
        connected.append(done)
    # Publishing before the CONNACK would fail the QoS 1 publishes (paho: not connected).
    for done in connected:
        if not done.wait(60):
            raise RuntimeError("a bench device could not connect")
    messages = readings // PER_MESSAGE
    infos = []
    for i in range(messages):
        uid, client = clients[i % len(clients)]
        base = start_ms + i * PER_MESSAGE * 1000
        payload = json.dumps(
            [
                {"ts": base + k * 1000, "values": {"water_level": 100 + (i + k) % 50}}
                for k in range(PER_MESSAGE)
            ]
        )
        topic = f"kc/v1/{uid}/telemetry" if kind == "mosquitto" else "v1/devices/me/telemetry"
        infos.append(client.publish(topic, payload, qos=1))
    for info in infos:
        info.wait_for_publish(60)
    for _uid, client in clients:
        client.disconnect()
        client.loop_stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readings", type=int, default=100_000)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument(
        "--paths",
        default="mosquitto,own5,own311",
        help="comma-separated subset of mosquitto,own5,own311 (e.g. to profile one path)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("run on PostgreSQL (DATABASE_URL=postgresql://…)")
    call_command("migrate", verbosity=0)
    from kotacerdas.regions.loader import load_regions
    from kotacerdas.sensors.dynsec import DynSec, ensure_ingest_client
    from kotacerdas.sensors.models import Device, Reading, Rollup
    from kotacerdas.sensors.mosquitto import free_port, throwaway_broker
    from kotacerdas.sensors.mqtt_endpoint import STATE, EndpointThread
    from kotacerdas.sensors.mqtt_ingest import MosquittoIngestor
    from kotacerdas.sensors.services import device_register
    from kotacerdas.tenants import demo as tenants_demo
    from kotacerdas.tenants.models import Tenant

    if not Tenant.objects.filter(region_id="36.73").exists():
        load_regions(prefix="36")
        tenants_demo.load_demo(password="bench")
    tenant = Tenant.objects.get(region_id="36.73")
    Reading.objects.filter(device__uid__startswith="bench-").delete()
    Rollup.objects.filter(device__uid__startswith="bench-").delete()
    result: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": f"{os.cpu_count()} cores (shared)",
        "readings": args.readings,
        "devices": args.devices,
        "readings_per_message": PER_MESSAGE,
    }
    now_ms = int(time.time() * 1000)
    paths = set(args.paths.split(","))
    measured = []

    with throwaway_broker() as broker:
        settings.SENSORS_MQTT_URL = broker.mqtt_url
        with DynSec(broker.url) as ds:
            ingest_creds = ensure_ingest_client(ds, broker.url)
        devices = []
        for i in range(args.devices if "mosquitto" in paths else 1):
            reg = device_register(
                tenant=tenant,
                actor=None,
                name=f"Bench {i}",
                kind="water_level",
                uid=f"bench-m-{now_ms}-{i}",
            )
            devices.append(reg)
        if "mosquitto" in paths:
            measured.append("mosquitto")
            worker = MosquittoIngestor(ingest_creds, batch_size=5000)
            worker.start()
            start_ms = now_ms - 6 * 24 * 3600 * 1000
            creds = [(r.device.uid, r.token, r.device.uid) for r in devices]
            proc = multiprocessing.Process(
                target=publish,
                args=("mosquitto", "127.0.0.1", broker.url.port, creds, args.readings, start_ms),
            )
            t0 = time.perf_counter()
            proc.start()
            while worker.totals.stored < args.readings and time.perf_counter() - t0 < 600:
                worker.drain(wait=0.2)
            elapsed = time.perf_counter() - t0
            proc.join()
            worker.stop()
            result["mosquitto_readings_per_s"] = round(worker.totals.stored / elapsed)
            result["mosquitto_stored"] = worker.totals.stored

    settings.SENSORS_MQTT_URL = ""
    for days_back, (kind, label) in enumerate(
        [("own5", "own_endpoint_mqtt5"), ("own311", "own_endpoint_mqtt311")], start=4
    ):
        if kind not in paths:
            continue
        measured.append(label)
        endpoint = EndpointThread("127.0.0.1", free_port())
        endpoint.start()
        regs = [
            device_register(
                tenant=tenant,
                actor=None,
                name=f"Bench {kind} {i}",
                kind="water_level",
                uid=f"bench-{kind}-{now_ms}-{i}",
            )
            for i in range(args.devices)
        ]
        creds = [(r.device.uid, "", r.token) for r in regs]
        before = STATE.totals.stored
        proc = multiprocessing.Process(
            target=publish,
            args=(
                kind,
                "127.0.0.1",
                endpoint.port,
                creds,
                args.readings,
                now_ms - days_back * 24 * 3600 * 1000,
            ),
        )
        t0 = time.perf_counter()
        proc.start()
        # Stop waiting when nothing has been stored for 30 s: a stalled path is reported as
        # such (with what it stored), not waited on for ever.
        progress, last_change = 0, time.perf_counter()
        while STATE.totals.stored - before < args.readings:
            time.sleep(0.05)
            if STATE.totals.stored != progress:
                progress, last_change = STATE.totals.stored, time.perf_counter()
            elif time.perf_counter() - last_change > 30:
                result[f"{label}_stalled"] = True
                break
        elapsed = (time.perf_counter() if not result.get(f"{label}_stalled") else last_change) - t0
        proc.terminate()
        proc.join()
        endpoint.stop()
        result[f"{label}_readings_per_s"] = round((STATE.totals.stored - before) / elapsed)
        result[f"{label}_stored"] = STATE.totals.stored - before
        print(json.dumps({label: result[f"{label}_readings_per_s"]}), file=sys.stderr, flush=True)

    # Ceiling: the same rows by a bare COPY into the same partitioned table.
    import psycopg

    ceiling_device = devices[0].device.pk
    dsn = settings.DATABASES["default"]
    conninfo = (
        f"host={dsn['HOST']} port={dsn['PORT'] or 5432} user={dsn['USER']} dbname={dsn['NAME']}"
    )
    base = dt.datetime.fromtimestamp((now_ms - 2 * 24 * 3600 * 1000) / 1000, tz=dt.UTC)
    with psycopg.connect(conninfo, autocommit=False) as conn:
        t0 = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy("COPY sensors_reading (device_id, quantity, ts, value) FROM STDIN") as copy,
        ):
            for i in range(args.readings):
                copy.write_row(
                    (ceiling_device, "water_level", base + dt.timedelta(seconds=i), 100.0 + i % 50)
                )
        conn.commit()
        elapsed = time.perf_counter() - t0
    result["copy_ceiling_rows_per_s"] = round(args.readings / elapsed)
    for key in measured:
        result[f"{key}_ratio_to_ceiling"] = round(
            result[f"{key}_readings_per_s"] / result["copy_ceiling_rows_per_s"], 3
        )  # type: ignore[operator]

    Device.objects.filter(uid__startswith="bench-").update(retired_at=dt.datetime.now(dt.UTC))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
