"""Device credentials and ACLs in Mosquitto, through its dynamic-security plugin's control API
(``$CONTROL/dynamic-security/v1``). Each device becomes a client (username = device ID,
password = its token) with a role that may publish ONLY on its own topics, so a device that
forges another device's ID in a topic is refused by the broker itself. The platform's
ingestion worker gets a role that may subscribe to the device topics."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings

log = logging.getLogger(__name__)

CONTROL = "$CONTROL/dynamic-security/v1"
INGEST_ROLE = "kc-ingest"
INGEST_USER = "kc-ingest"
SHARE_GROUP = "kc-ingest"
DEVICE_TOPIC_TREES = ("/ul/#", "/json/#", "kc/v1/#")


@dataclass(frozen=True)
class BrokerUrl:
    host: str
    port: int
    username: str
    password: str


def parse_url(url: str) -> BrokerUrl:
    """``mqtt://user:pass@host:port`` (user/pass: the dynamic-security administrator)."""
    parts = urlsplit(url)
    if parts.scheme != "mqtt" or not parts.hostname:
        raise ValueError("SENSORS_MQTT_URL must look like mqtt://user:password@host:port")
    return BrokerUrl(
        host=parts.hostname,
        port=parts.port or 1883,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def device_topics(apikey: str, uid: str) -> list[str]:
    return [f"/ul/{apikey}/{uid}/attrs", f"/json/{apikey}/{uid}/attrs", f"kc/v1/{uid}/telemetry"]


class DynSecError(RuntimeError):
    pass


class DynSec:
    """A short-lived control connection. ``run([...commands])`` waits for the answers."""

    def __init__(self, url: BrokerUrl, timeout: float = 10.0):
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        self.timeout = timeout
        self._answers: dict[str, list[dict[str, Any]]] = {}
        self._cond = threading.Condition()
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"kc-dynsec-{uuid.uuid4().hex[:8]}"
        )
        self._client.username_pw_set(url.username, url.password)
        self._client.on_message = self._on_message
        ready = threading.Event()
        refused: list[str] = []

        def on_connect(client: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
            if reason.is_failure:
                refused.append(str(reason))
                ready.set()
            else:
                client.subscribe(f"{CONTROL}/response", qos=1)

        self._client.on_connect = on_connect
        self._client.on_subscribe = lambda *_args: ready.set()
        self._client.connect(url.host, url.port)
        self._client.loop_start()
        if not ready.wait(timeout) or refused:
            self.close()
            raise DynSecError(f"cannot reach the dynamic-security plugin: {refused or 'timeout'}")

    def _on_message(self, _client: Any, _userdata: Any, message: Any) -> None:
        try:
            responses = json.loads(message.payload)["responses"]
        except (ValueError, KeyError, TypeError):
            return
        with self._cond:
            for response in responses:
                cid = response.get("correlationData")
                if cid:
                    self._answers.setdefault(cid, []).append(response)
            self._cond.notify_all()

    def run(
        self, commands: list[dict[str, Any]], *, ignore: tuple[str, ...] = ()
    ) -> list[dict[str, Any]]:
        cid = uuid.uuid4().hex
        for command in commands:
            command["correlationData"] = cid
        self._client.publish(CONTROL, json.dumps({"commands": commands}), qos=1)
        with self._cond:
            ok = self._cond.wait_for(
                lambda: len(self._answers.get(cid, [])) >= len(commands), timeout=self.timeout
            )
            answers = self._answers.pop(cid, [])
        if not ok:
            raise DynSecError("no answer from the dynamic-security plugin")
        for answer in answers:
            error = answer.get("error")
            if error and not any(text in error for text in ignore):
                raise DynSecError(f"{answer.get('command')}: {error}")
        return answers

    def close(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def __enter__(self) -> DynSec:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def ingest_credentials(admin: BrokerUrl) -> BrokerUrl:
    """The ingestion workers' own broker account: a fixed username and a password derived from
    SECRET_KEY (so every worker machine computes the same one, and no setting is needed)."""
    password = hmac.new(
        settings.SECRET_KEY.encode(), b"sensors:kc-ingest", hashlib.sha256
    ).hexdigest()
    return BrokerUrl(admin.host, admin.port, INGEST_USER, password)


def ensure_ingest_client(ds: DynSec, admin: BrokerUrl) -> BrokerUrl:
    """Create (or re-key) the workers' account, whose role may subscribe to every device topic
    tree (shared subscriptions included) and receive from it. Returns its credentials."""
    creds = ingest_credentials(admin)
    ds.run([{"command": "createRole", "rolename": INGEST_ROLE}], ignore=("already exists",))
    ds.run(
        [
            {
                "command": "addRoleACL",
                "rolename": INGEST_ROLE,
                "acltype": acltype,
                "topic": topic,
                "allow": True,
            }
            for tree in DEVICE_TOPIC_TREES
            # Mosquitto checks a shared subscription's ACL on the full "$share/…" filter.
            for acltype, topic in (
                ("subscribePattern", tree),
                ("subscribePattern", f"$share/{SHARE_GROUP}/{tree}"),
                ("publishClientReceive", tree),
            )
        ],
        ignore=("already exists",),
    )
    answers = ds.run(
        [
            {
                "command": "createClient",
                "username": INGEST_USER,
                "password": creds.password,
                "roles": [{"rolename": INGEST_ROLE}],
            }
        ],
        ignore=("already exists",),
    )
    if any("already exists" in (a.get("error") or "") for a in answers):
        ds.run(
            [{"command": "setClientPassword", "username": INGEST_USER, "password": creds.password}]
        )
    return creds


def put_device(ds: DynSec, *, uid: str, apikey: str, token: str | None, active: bool) -> None:
    """Create or update the device's client and role; a retired device is deleted."""
    role = f"kc-device-{uid}"
    if not active:
        ds.run(
            [
                {"command": "deleteClient", "username": uid},
                {"command": "deleteRole", "rolename": role},
            ],
            ignore=("not found",),
        )
        return
    ds.run([{"command": "createRole", "rolename": role}], ignore=("already exists",))
    ds.run(
        [
            {
                "command": "addRoleACL",
                "rolename": role,
                "acltype": "publishClientSend",
                "topic": topic,
                "allow": True,
            }
            for topic in device_topics(apikey, uid)
        ],
        ignore=("already exists",),
    )
    if token is None:
        return
    answers = ds.run(
        [
            {
                "command": "createClient",
                "username": uid,
                "password": token,
                "roles": [{"rolename": role}],
            }
        ],
        ignore=("already exists",),
    )
    if any("already exists" in (a.get("error") or "") for a in answers):
        ds.run([{"command": "setClientPassword", "username": uid, "password": token}])


def sync_device(device_id: int, token: str | None) -> bool:
    """Push one device to the configured broker. False when no broker is configured."""
    from kotacerdas.sensors.models import Device

    if not settings.SENSORS_MQTT_URL:
        return False
    device = Device.objects.select_related("tenant").get(pk=device_id)
    with DynSec(parse_url(settings.SENSORS_MQTT_URL)) as ds:
        put_device(
            ds,
            uid=device.uid,
            apikey=device.apikey,
            token=token,
            active=device.retired_at is None,
        )
    return True


def sync_device_safely(device_id: int, token: str | None) -> None:
    """After commit: a broker that is down is logged, not raised (the registry is the truth;
    ``kotacerdas ingest_sensors`` re-creates roles, and a token rotation re-sends a password)."""
    try:
        sync_device(device_id, token)
    except (OSError, DynSecError, ValueError) as exc:
        log.warning("sensors: could not sync device %s to the broker: %s", device_id, exc)
