"""EventBridge TestEventPattern for moto 5.2.5, which declares it but answers nothing.

``TestEventPattern(EventPattern, Event)`` says whether the pattern matches the event,
with ``{"Result": true|false}``, changing nothing: labcheck asks it to learn what a
rule's pattern really matches (the lab's sample events), instead of reading its text.

Matching is moto's own ``EventPattern`` (the one its rules deliver with): exact values,
``prefix``, ``suffix``, ``anything-but``, ``numeric``, ``exists``, ``cidr``,
``wildcard``, ``equals-ignore-case`` and ``$or``. Validation follows the API reference:
a pattern that is not JSON, or whose values are not objects or arrays, is an
``InvalidEventPatternException``; an event that is not a JSON object with ``id``,
``account``, ``source``, ``time``, ``region`` and ``detail-type`` is a
``ValidationException`` ("Parameter Event is not valid."). Call ``install()`` before the
server starts.
"""

from __future__ import annotations

import json

from moto.events.exceptions import ValidationException
from moto.events.models import EventPattern
from moto.events.responses import EventsHandler

MANDATORY_EVENT_FIELDS = ("id", "account", "source", "time", "region", "detail-type")


def test_event_pattern(pattern_text: str | None, event_text: str | None) -> bool:
    """Whether the pattern matches the event, validated as EventBridge does."""
    pattern = EventPattern.load(pattern_text)  # InvalidEventPatternException when bad
    try:
        event = json.loads(event_text or "")
    except json.JSONDecodeError:
        raise ValidationException("Parameter Event is not valid.")
    if not isinstance(event, dict) or any(field not in event for field in MANDATORY_EVENT_FIELDS):
        raise ValidationException("Parameter Event is not valid.")
    return pattern.matches_event(event)


def _respond(self: EventsHandler) -> tuple[str, dict[str, str]]:
    result = test_event_pattern(self._get_param("EventPattern"), self._get_param("Event"))
    return json.dumps({"Result": result}), self.response_headers


def install() -> list[str]:
    EventsHandler.test_event_pattern = _respond  # type: ignore[method-assign]
    return ["EventBridge TestEventPattern"]
