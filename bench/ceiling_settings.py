"""The platform's settings with the framework ceilings' URLs added (``ceiling_urls``): the
benchmark serves ours and both ceilings from one uvicorn, with the same middleware."""

from kotacerdas.settings import *  # noqa: F403

ROOT_URLCONF = "ceiling_urls"
