"""The events calendar: a month grid and an iCalendar feed."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re

import icalendar
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.middleware import error_response
from kotacerdas.economy.models import (
    Event,
)
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.models import Tenant

# --- events calendar ----------------------------------------------------------------------------

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@tenant_page
def calendar(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """A month grid of the published villages' events (``?bulan=YYYY-MM``), with the same
    events as a list below it for small screens."""
    today = timezone.localdate()
    raw = request.GET.get("bulan", "")
    if not raw:
        year, month = today.year, today.month
    elif (match := MONTH.match(raw)) and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        year, month = int(match[1]), int(match[2])
    else:
        return error_response(
            request, status=400, code="invalid_month", message=_("Bulan ditulis YYYY-MM.")
        )
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    events = list(
        Event.objects.filter(
            village__tenant=tenant, village__published=True, starts_on__lte=last, ends_on__gte=first
        )
        .select_related("village")
        .order_by("starts_on", "name")[:300]
    )
    grid = [
        [
            {
                "date": day,
                "in_month": day.month == month,
                "today": day == today,
                "events": [e for e in events if e.starts_on <= day <= e.ends_on],
            }
            for day in week
        ]
        for week in weeks
    ]
    this = dt.date(year, month, 1)
    previous = (this - dt.timedelta(days=1)).replace(day=1)
    following = (this + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "economy/calendar.html",
        {
            "tenant": tenant,
            "month": this,
            "grid": grid,
            "weekdays": weeks[0],
            "events": [e for e in events if e.ends_on >= this and e.starts_on < following],
            "previous": f"{previous:%Y-%m}",
            "next": f"{following:%Y-%m}",
        },
    )


ICS_PAST_DAYS = 365


@tenant_page
def calendar_ics(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The tenant's village events as iCalendar (RFC 5545): from a year ago on, at most 1000."""
    since = timezone.localdate() - dt.timedelta(days=ICS_PAST_DAYS)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//kotacerdas//desa wisata//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{_('Acara desa wisata')} · {tenant.short_name}")
    stamp = timezone.now()
    host = request.get_host()
    for e in (
        Event.objects.filter(village__tenant=tenant, village__published=True, ends_on__gte=since)
        .select_related("village")
        .order_by("starts_on", "pk")[:1000]
    ):
        item = icalendar.Event()
        item.add("uid", f"economy-event-{e.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", e.starts_on)
        item.add("dtend", e.ends_on + dt.timedelta(days=1))  # all-day: the end is exclusive
        item.add("summary", e.name)
        if e.description:
            item.add("description", e.description)
        item.add("location", e.village.name)
        item.add(
            "url",
            request.build_absolute_uri(
                reverse("economy:village", args=[tenant.slug, e.village.slug])
            ),
        )
        cal.add_component(item)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="acara-{tenant.slug}.ics"'
    return response
