"""Reads that other callers need: the framework's data, summaries and the index trend."""

from __future__ import annotations

from django.http import Http404

from kotacerdas.spbe.models import Framework
from kotacerdas.spbe.scoring import FrameworkSpec, load_spec


def framework_spec(*, code: str | None = None) -> FrameworkSpec:
    """The named active framework, or the current one; 404 for an unknown code."""
    frameworks = Framework.objects.filter(is_active=True)
    try:
        framework = frameworks.get(code=code) if code else frameworks.current()
    except (Framework.DoesNotExist, IndexError):
        raise Http404("framework") from None
    return load_spec(framework)
