"""The ASGI application: Django behind the platform's body-size limit (see
``kotacerdas.core.middleware.BodyLimit``), which also answers the lifespan protocol."""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
django_application = get_asgi_application()

from kotacerdas.core.middleware import BodyLimit  # noqa: E402 - needs the settings loaded

application = BodyLimit(django_application, limit=settings.MAX_REQUEST_BODY)
