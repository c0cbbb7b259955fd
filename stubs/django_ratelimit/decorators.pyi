# django-ratelimit ships no types; the one function kotacerdas uses, as django-ratelimit 4
# documents it. The decorated view keeps its own signature.
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.http import HttpRequest

_View = TypeVar("_View", bound=Callable[..., Any])

def ratelimit(
    group: str | None = None,
    key: str | Callable[[str, HttpRequest], str] | None = None,
    rate: str | Callable[[str, HttpRequest], str | tuple[int, int] | None] | None = None,
    method: str | Iterable[str] | None = ...,
    block: bool = True,
) -> Callable[[_View], _View]: ...
