from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from kotacerdas.notifications.selectors import unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    """The bell in the base layout: counted once, and only on a page that shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "notification_bell": {
            "url": reverse("notifications:inbox"),
            "unread": SimpleLazyObject(lambda: unread_count(user)),
        }
    }
