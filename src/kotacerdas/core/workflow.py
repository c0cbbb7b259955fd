"""One explicit table of allowed state transitions per lifecycle.

Each app declares its lifecycle as a ``Workflow`` and moves objects only through
``Workflow.target``, so that an invalid move always raises the same clear error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kotacerdas.core.errors import InvalidTransition


@dataclass(frozen=True)
class Workflow:
    """``transitions`` maps an action name to (the states it may start from, the new state)."""

    name: str
    transitions: Mapping[str, tuple[frozenset[str], str]]
    labels: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        name: str,
        table: Iterable[tuple[str, Iterable[str], str]],
        labels: Mapping[str, str] | None = None,
    ) -> Workflow:
        return cls(
            name=name,
            transitions={action: (frozenset(sources), target) for action, sources, target in table},
            labels=dict(labels or {}),
        )

    def target(self, current: str, action: str) -> str:
        """The state that ``action`` leads to from ``current``; raises ``InvalidTransition``."""
        try:
            sources, target = self.transitions[action]
        except KeyError:
            raise InvalidTransition(
                _("Tindakan “%(action)s” tidak dikenal.") % {"action": action}
            ) from None
        if current not in sources:
            raise InvalidTransition(
                _("Tindakan “%(action)s” tidak dapat dilakukan pada status “%(state)s”.")
                % {
                    "action": self.labels.get(action, action),
                    "state": self.labels.get(current, current),
                }
            )
        return target

    def actions_from(self, current: str) -> list[str]:
        return [action for action, (sources, _t) in self.transitions.items() if current in sources]

    def states(self) -> set[str]:
        found: set[str] = set()
        for sources, target in self.transitions.values():
            found |= sources
            found.add(target)
        return found
