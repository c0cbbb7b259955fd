from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.accounts.models import User
from kotacerdas.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Membuat token API untuk seorang pengguna. Token dicetak sekali, di baris terakhir."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="nama pengguna")
        parser.add_argument("--name", default="cli", help="nama token, untuk mengenalinya")
        parser.add_argument(
            "--read-only", action="store_true", help="token hanya untuk membaca (GET)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["user"])
        except User.DoesNotExist:
            raise CommandError(f"Pengguna {options['user']!r} tidak ditemukan.") from None
        token, raw = api_token_create(
            user=user, name=options["name"], can_write=not options["read_only"]
        )
        kind = "baca saja" if not token.can_write else "baca-tulis"
        self.stdout.write(
            f"Token {kind} untuk {user.username} (awalan {token.prefix}). Simpan sekarang; tidak ditampilkan lagi:"
        )
        self.stdout.write(raw)
