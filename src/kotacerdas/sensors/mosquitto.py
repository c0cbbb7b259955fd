"""A throwaway Mosquitto with the dynamic-security plugin, on a free port (tests, benchmark,
local development). Debian's ``mosquitto`` package is installed by
``scripts/ensure-mosquitto.sh`` when missing."""

from __future__ import annotations

import contextlib
import getpass
import glob
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kotacerdas.sensors.dynsec import BrokerUrl

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "ensure-mosquitto.sh"


def _binary(name: str, sbin: bool = False) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidate = Path("/usr/sbin" if sbin else "/usr/bin") / name
    return str(candidate) if candidate.exists() else None


def ensure_installed() -> tuple[str, str, str]:
    """(mosquitto, mosquitto_ctrl, plugin path), installing Debian's package when missing."""
    if _binary("mosquitto", sbin=True) is None and SCRIPT.exists():
        subprocess.run([str(SCRIPT)], check=True)  # noqa: S603 - our own script
    broker, ctrl = _binary("mosquitto", sbin=True), _binary("mosquitto_ctrl")
    plugins = glob.glob("/usr/lib/*/mosquitto_dynamic_security.so") + glob.glob(
        "/usr/lib/mosquitto_dynamic_security.so"
    )
    if broker is None or ctrl is None or not plugins:
        raise RuntimeError("mosquitto with the dynamic-security plugin is not installed")
    return broker, ctrl, plugins[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningBroker:
    url: BrokerUrl
    process: subprocess.Popen[bytes]
    ingest: BrokerUrl | None = None  # the workers' account, once created

    @property
    def mqtt_url(self) -> str:
        return f"mqtt://{self.url.username}:{self.url.password}@{self.url.host}:{self.url.port}"


@contextlib.contextmanager
def throwaway_broker() -> Iterator[RunningBroker]:
    broker, ctrl, plugin = ensure_installed()
    with tempfile.TemporaryDirectory(prefix="kc-mosquitto-") as tmp:
        password = secrets.token_hex(16)  # no leading "-" for mosquitto_ctrl
        config_file = Path(tmp) / "dynamic-security.json"
        subprocess.run(  # noqa: S603 - fixed binary and generated arguments
            [ctrl, "dynsec", "init", str(config_file), "kc-admin", password],
            check=True,
            capture_output=True,
        )
        port = free_port()
        conf = Path(tmp) / "mosquitto.conf"
        conf.write_text(
            # Run as ourselves: as root Mosquitto would drop to user "mosquitto", which cannot
            # read (or save) the dynamic-security file in our private temporary directory.
            f"user {getpass.getuser()}\n"
            f"listener {port} 127.0.0.1\n"
            "allow_anonymous false\n"
            "persistence false\n"
            f"plugin {plugin}\n"
            f"plugin_opt_config_file {config_file}\n"
            "max_queued_messages 100000\n"
            "log_dest stderr\nlog_type error\n"
        )
        process = subprocess.Popen([broker, "-c", str(conf)], stderr=subprocess.PIPE)  # noqa: S603
        try:
            deadline = time.monotonic() + 10
            while True:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), timeout=0.5),
                ):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    err = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"mosquitto did not start: {err}")
                time.sleep(0.05)
            yield RunningBroker(BrokerUrl("127.0.0.1", port, "kc-admin", password), process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()
