from __future__ import annotations

from contextlib import ExitStack
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.module_loading import import_string

DEFAULT_DEMO_PASSWORD = "kotacerdas-demo"  # noqa: S105 - documented, local demo use only


class Command(BaseCommand):
    help = (
        "Menyiapkan platform: migrasi basis data dan memuat daftar wilayah nasional. "
        "Dengan --demo juga membuat Kota Serang dan Kabupaten Serang beserta OPD, akun demo dan data contoh. "
        "Aman dijalankan berulang kali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="buat data dan akun demo")
        parser.add_argument(
            "--demo-password",
            default=DEFAULT_DEMO_PASSWORD,
            help=f"kata sandi akun demo (bawaan '{DEFAULT_DEMO_PASSWORD}', hanya untuk pemakaian lokal)",
        )
        # Passed on to the setup steps (regions: a demo or a test needs only a few provinces).
        parser.add_argument(
            "--regions",
            default="",
            metavar="KODE[,KODE...]",
            help=(
                "muat hanya wilayah dengan awalan kode ini beserta induknya, dipisah koma "
                "(mis. 36 untuk Banten); bawaan: seluruh Indonesia"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        self.stdout.write("Basis data siap.")
        # Data every installation needs (the national region list): each app names its step
        # as ``setup_step = "dotted.path"`` on its AppConfig, a function taking this command
        # and its options.
        for config in apps.get_app_configs():
            step = getattr(config, "setup_step", None)
            if step:
                import_string(step)(self, options)
        if options["demo"]:
            # Contexts apps wrap the demo load in (``demo_context = "dotted.path"`` on their
            # AppConfig: accounts hashes each demo password once).
            with ExitStack() as stack:
                for config in apps.get_app_configs():
                    context = getattr(config, "demo_context", None)
                    if context:
                        stack.enter_context(import_string(context)())
                self._load_demo(options["demo_password"])
        self.stdout.write(self.style.SUCCESS("Selesai."))

    def _load_demo(self, password: str) -> None:
        for config in apps.get_app_configs():
            if not config.name.startswith("kotacerdas."):
                continue
            try:
                demo = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                demo.load_demo(password=password)
            self.stdout.write(f"Data demo {config.verbose_name}: siap.")
