"""The public events calendar: a month grid with previous/next month, and the tenant's events
as iCalendar read back by the ``icalendar`` parser."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.test import Client

from kotacerdas.economy.models import Event, TourismVillage

BASE = "/kabupaten-serang/wisata"


def test_the_month_grid_shows_the_event_and_links_the_neighbouring_months(
    client: Client, sikonde: TourismVillage
) -> None:
    festival = Event.objects.get(village=sikonde)
    month = festival.starts_on.replace(day=1)
    page = client.get(f"{BASE}/acara/?bulan={month:%Y-%m}")
    assert page.status_code == 200
    assert page.text.count(festival.name) >= 3  # its days in the grid, and the list
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    assert f'href="?bulan={previous:%Y-%m}" rel="prev"' in page.text
    assert f'href="?bulan={following:%Y-%m}" rel="next"' in page.text
    empty = client.get(f"{BASE}/acara/?bulan={following + dt.timedelta(days=62):%Y-%m}")
    assert festival.name not in empty.text
    assert client.get(f"{BASE}/acara/").status_code == 200


def test_a_malformed_month_gets_a_400(client: Client, sikonde: TourismVillage) -> None:
    for bad in ("2026-13", "abc", "2026-1", "99999-01", "2026-00"):
        assert client.get(f"{BASE}/acara/?bulan={bad}").status_code == 400, bad


def test_the_ics_export_holds_the_tenants_published_events_as_all_day_events(
    client: Client, sikonde: TourismVillage
) -> None:
    festival = Event.objects.get(village=sikonde)
    tunda = TourismVillage.objects.get(slug="pulau-tunda")
    hidden = Event.objects.create(
        village=tunda,
        name="Acara desa tersembunyi",
        starts_on=festival.starts_on,
        ends_on=festival.starts_on,
    )
    TourismVillage.objects.filter(pk=tunda.pk).update(published=False)
    response = client.get(f"{BASE}/acara.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [festival.name]
    [event] = events
    assert event.decoded("DTSTART") == festival.starts_on
    assert event.decoded("DTEND") == festival.ends_on + dt.timedelta(days=1)
    assert str(event["LOCATION"]) == sikonde.name
    assert str(event["URL"]).endswith(f"{BASE}/desa/cikolelet/")
    assert hidden.name not in response.text
    other = icalendar.Calendar.from_ical(client.get("/kota-serang/wisata/acara.ics").content)
    assert other.walk("VEVENT") == []
