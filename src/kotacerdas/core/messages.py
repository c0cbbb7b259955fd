"""Texts kept in code and rendered when read, in the reader's language (#11.6).

Nothing user-facing is stored as a sentence: a row (a notification, an incident opened by a
sensor alert, a desk event's note) stores a message key and its parameters, and pages, emails,
exports and the API render it in the language of whoever reads it. Each app declares its
messages in its ``texts`` module (imported by ``CoreConfig.ready``)::

    @text("wifi.point_down")
    def point_down(params: Params) -> tuple[str, str]:
        return _("Titik Wi-Fi %(name)s mati") % params, _("...") % params

A renderer is called with the active language already set, returns two texts (a
notification's subject and body; an incident's place and description) and uses ``gettext``
(not the lazy form). Parameters are JSON: names, numbers, dates as text, and data-driven
names with an English form as ``bilingual(obj, field)`` read back with ``pick``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import nullcontext
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

Params = Mapping[str, Any]
Renderer = Callable[[Params], tuple[str, str]]

_TEXTS: dict[str, Renderer] = {}


def text(key: str) -> Callable[[Renderer], Renderer]:
    """Registers the renderer of message ``key`` (one renderer per key)."""

    def register(renderer: Renderer) -> Renderer:
        known = _TEXTS.get(key)
        if known is not None and known.__qualname__ != renderer.__qualname__:
            raise ImproperlyConfigured(f"message text {key!r} is declared twice")
        _TEXTS[key] = renderer
        return renderer

    return register


def is_known(key: str) -> bool:
    return key in _TEXTS


def render(key: str, params: Params, *, language: str = "") -> tuple[str, str]:
    """The two texts of message ``key`` (a notification's subject and body, an incident's
    place and description) in ``language`` (default: the active one).

    Raises KeyError for an unknown key or a missing parameter."""
    renderer = _TEXTS[key]
    with translation.override(language) if language else nullcontext():
        return renderer(params)


def rendered(
    key: str, params: Params, stored: tuple[str, str], *, language: str = ""
) -> tuple[str, str]:
    """A row's two texts: message ``key`` rendered in ``language`` (default: the active one),
    or the texts the row ``stored`` when it has no key (written before keys) or its key is gone
    from the code."""
    if key and is_known(key):
        return render(key, params, language=language)
    return stored


def bilingual(obj: object, field: str) -> dict[str, str]:
    """A data-driven name in both of its forms (``field`` and ``field_en``), for ``pick``."""
    return {"id": str(getattr(obj, field)), "en": str(getattr(obj, f"{field}_en", "") or "")}


def pick(value: Any) -> str:
    """The form of a ``bilingual`` value for the active language (Indonesian when English is
    missing); any other value as text."""
    if isinstance(value, Mapping):
        english = (translation.get_language() or "").startswith("en") and value.get("en")
        return str(english or value.get("id", ""))
    return str(value)
