"""Serves RADIUS accounting (RFC 2866) on UDP for the public Wi-Fi points."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.wifi.radius import AccountingServer


class Command(BaseCommand):
    help = "Server RADIUS accounting (UDP) untuk titik Wi-Fi publik."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="0.0.0.0:1813", help="alamat:port (bawaan :1813)")

    def handle(self, *args: Any, **options: Any) -> None:
        host, _sep, port = options["bind"].rpartition(":")
        if not host or not port.isascii() or not port.isdigit():
            raise CommandError("--bind harus berbentuk alamat:port")
        with AccountingServer((host, int(port))) as server:
            self.stdout.write(f"RADIUS accounting on {host}:{server.server_address[1]}")
            server.serve_forever()
