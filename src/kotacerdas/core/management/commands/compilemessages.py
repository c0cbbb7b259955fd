"""``kotacerdas compilemessages`` from any directory.

Django's command compiles the ``locale`` directories under the current directory, so the
README's production step, run from anywhere but the package's own directory, compiled nothing
and the English interface stayed in Indonesian. This one compiles the platform's catalogues
where they are installed, whatever the current directory."""

from __future__ import annotations

from contextlib import chdir
from pathlib import Path
from typing import Any

from django.core.management.commands import compilemessages

import kotacerdas

PACKAGE = Path(kotacerdas.__file__).resolve().parent


class Command(compilemessages.Command):
    def handle(self, **options: Any) -> None:
        with chdir(PACKAGE):
            super().handle(**options)
