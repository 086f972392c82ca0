"""EventBridge event patterns as aws/event-ruler defines them (`cnarch_core::events`).

`matches(pattern, event)` tests one pattern; `PatternMatcher()` compiles many named patterns
into one index: `.add(name, pattern)` (the same name again adds an alternative), `.remove(name)`,
`.match(event)` (the sorted names that match), `.names`, `len(m)`, `name in m`. A pattern or an
event is a dict or its JSON text. A pattern event-ruler would refuse raises
`cnarch.PatternError` (a `ValueError`) with `.code == "invalid_event_pattern"` and `.path`, the
place in the pattern (`detail.state[0].numeric`), keys as written.
"""

from __future__ import annotations

from typing import Any, Mapping, Union

from ._core import PatternMatcher, _event_matches

Json = Union[str, Mapping[str, Any]]


def matches(pattern: Json, event: Json) -> bool:
    """Whether `event` matches the EventBridge `pattern` (each a dict or JSON text)."""
    return _event_matches(pattern, event)


__all__ = ["PatternMatcher", "matches"]
