"""Incident steps taken directly: the archivist's list and the closing of an incident."""

from __future__ import annotations

import pytest

from access import incidents, lending_desk
from access.errors import Forbidden, Hidden, InvalidBorrowing
from storage.auditnames import Action
from storage.errors import Conflict
from storage.models import Incident
from tests.access.lending.conftest import NOW, World, lent


def _missing(world: World) -> Incident:
    borrowing = lent(world, mode="physical")
    archivist = world.as_("archivist")
    lending_desk.hand_out(world.session, *archivist, world.rules, borrowing.id, NOW)
    [incident] = lending_desk.mark_missing(
        world.session, *archivist, world.rules, borrowing.id, "未归还", NOW
    )
    world.events()
    return incident


def test_the_archivists_list_is_recorded_with_its_filter_and_count(world: World) -> None:
    incident = _missing(world)

    found, total = incidents.search(world.session, *world.as_("archivist"), True, 10, 0)
    elsewhere, none = incidents.search(world.session, *world.as_("archivist_b"), True, 10, 0)

    assert ([i.id for i in found], total) == ([incident.id], 1)
    assert (elsewhere, none) == ([], 0)
    ours, theirs = world.events()
    assert ours["action"] == Action.INCIDENT_READ
    assert ours["filter"] == {"open_only": "True", "limit": "10", "offset": "0"}
    assert (ours["results"], theirs["results"]) == (1, 0)
    assert str(incident.id) not in str(ours)
    with pytest.raises(Forbidden):  # a seller follows up no incidents
        incidents.search(world.session, *world.as_("seller"), True, 10, 0)


def test_an_incident_is_closed_once_with_a_note_by_its_departments_archivist(
    world: World,
) -> None:
    incident = _missing(world)
    archivist = world.as_("archivist")
    # Another department's archivist may not see the document; its department head sees it but
    # follows up no incidents: neither is told the incident exists.
    for who in ("archivist_b", "head"):
        with pytest.raises(Hidden, match="no such incident"):
            incidents.resolve(world.session, *world.as_(who), incident.id, "找到", NOW)
    with pytest.raises(InvalidBorrowing, match="reason: required"):
        incidents.resolve(world.session, *archivist, incident.id, None, NOW)

    incidents.resolve(world.session, *archivist, incident.id, "在档案室找到 found", NOW)

    assert (incident.resolved_at, incident.resolved_by_id) == (NOW, world.users["archivist"])
    [event] = world.events()
    assert event["action"] == Action.INCIDENT_RESOLVE
    assert event["target"] == {"incident": str(incident.id), "document": str(world.license)}
    assert event["note"] == "在档案室找到 found"
    with pytest.raises(Conflict, match="already resolved"):
        incidents.resolve(world.session, *archivist, incident.id, "again", NOW)
