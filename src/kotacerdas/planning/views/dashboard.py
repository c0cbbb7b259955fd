"""The leaders' dashboard of the masterplan."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.planning import selectors
from kotacerdas.planning.views.common import LEADERS
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant


@staff_page(*LEADERS)
def dashboard(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    today = timezone.localdate()
    data = selectors.dashboard_data(tenant, today)
    quick_wins = data["quick_wins"]
    charts: dict[str, Any] = {
        "by_dimension": {
            "tooltip": {"trigger": "axis"},
            "legend": {"bottom": 0},
            "grid": {"left": 8, "right": 16, "top": 10, "bottom": 60, "containLabel": True},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "data": data["by_dimension"]["dimensions"]},
            "series": [
                {**s, "type": "bar", "stack": "status"} for s in data["by_dimension"]["series"]
            ],
        },
        "quick_wins": {
            "tooltip": {},
            "grid": {"left": 8, "right": 16, "top": 10, "bottom": 30, "containLabel": True},
            "xAxis": {"type": "value", "min": 0, "max": 100},
            "yAxis": {
                "type": "category",
                "data": [q["name"] for q in quick_wins],
                "axisLabel": {"width": 150, "overflow": "truncate"},
            },
            "series": [
                {
                    "type": "bar",
                    "name": _("Kemajuan fisik (%)"),
                    "data": [q["progress"] for q in quick_wins],
                }
            ],
        },
    }
    absorption = data["absorption"]
    charts["absorption"] = {
        "series": [
            {
                "type": "gauge",
                "min": 0,
                "max": 100,
                "progress": {"show": True},
                "detail": {"formatter": "{value}%"},
                "data": [
                    {
                        "value": round(absorption, 1) if isinstance(absorption, float) else 0,
                        "name": _("Serapan"),
                    }
                ],
            }
        ]
    }
    spbe = data["spbe"]
    if spbe:
        charts["spbe"] = {
            "tooltip": {"trigger": "axis"},
            "xAxis": {"type": "category", "data": [str(y) for y, _i, _p in spbe]},
            "yAxis": {"type": "value", "min": 0, "max": 5},
            "series": [
                {"type": "line", "name": "SPBE", "data": [round(i, 2) for _y, i, _p in spbe]}
            ],
        }
    return render(request, "planning/dashboard.html", {**data, "charts": charts, "today": today})
