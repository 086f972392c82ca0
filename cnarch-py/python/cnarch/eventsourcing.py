"""An embeddable event store with EventStoreDB's semantics (`cnarch_core::eventsourcing`).

Pure and deterministic: every call that depends on time takes `now`, in seconds since the Unix
epoch. Events are dicts: `{"id": "<uuid>", "type": "OrderPlaced", "data": {...}}` to append
(`metadata` likewise; bytes go as base64 text under `data_base64`/`metadata_base64`, and
`is_json` defaults to whether `data` was JSON); read back with `stream`, `revision`,
`position`, `created` (seconds) and `is_json` added.

- `EventStore()`: `.append(stream, events, *, expected="any"|"no_stream"|"stream_exists"|int,
  now)` gives `{"next_expected_revision", "position", "written"}` (a retried append of the
  same ids writes nothing, as EventStoreDB's is); `.read_stream(stream, *, direction,
  from_revision, max_count, now)`, `.read_all(*, direction, from_position, max_count,
  stream_prefixes, event_type_prefixes)`, `.delete`, `.tombstone`, `.set_metadata(stream, *,
  max_count, max_age, truncate_before)`, `.metadata`, `.revision`, `.scavenge(now)`,
  `len(store)`; persisted with `.to_json_lines()` / `EventStore.from_json_lines(text)` and
  `.to_bytes()` / `EventStore.from_bytes(data)`. Refusals raise `cnarch.StateError`
  (`wrong_expected_version`, `stream_deleted`, `stream_not_found`), `cnarch.ParseError`
  (`corrupt_store`, with the byte offset) or `cnarch.ArgumentError` (`invalid_store_argument`).
- `CatchUpSubscription(source=None, *, checkpoint=None, batch_size=500)`: `source` is a stream
  name, or `None` or `{"stream_prefixes": [...], "event_type_prefixes": [...]}` for the global
  log; `.poll(store, now)` gives `{"events", "checkpoint", "caught_up"}`, `.ack(checkpoint)`
  stores it, `.rewind()`, `.checkpoint`, `.live`.
- `PersistentSubscription(source=None, *, start_after, max_retry_count=10,
  message_timeout=30, buffer_size=10)`: `.poll(store, now)` gives `[{"event",
  "retry_count"}]`; `.ack(position)`, `.nack(position, "retry"|"park"|"skip")`, `.parked`,
  `.replay_parked(store)`, `.checkpoint`, `.outstanding`.
- `Projection(handlers, *, source=None, partition=None, initial=None, batch_size=500)`:
  `handlers` is `fold(state, event) -> state`, or a dict of event type to such a function (only
  those types are folded); `partition` is `None` (one state, key `""`), `"stream"` or a JSON
  pointer into the payload (`"/region"`). `.run(store, now=0)` folds what is new and gives
  `{"folded", "passed_over", "checkpoint"}`; an exception from a handler propagates, and the
  next run starts again at that event. `.states`, `.state(key="")`, `.checkpoint`, `.reset()`.
- `Snapshots(*, every_events=None, every=None, retention=None)`: `.offer(stream, revision, now,
  state)`, `.load(store, stream, fold, initial, now=0)` gives `{"state", "revision",
  "snapshot", "events_read"}`, `.list(stream)`.
- `Replay(store, *, from_position | from_time, to_position | to_time, stream_prefixes,
  event_type_prefixes, batch_size=500)`: `.next_batch(store)` (a list, `None` when done) and
  `.progress` (`{"done", "total", "position"}`).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Optional, Union

from ._core import CatchUpSubscription, EventStore, PersistentSubscription, Replay, Snapshots, _Projection

__all__ = [
    "EventStore",
    "CatchUpSubscription",
    "PersistentSubscription",
    "Projection",
    "Snapshots",
    "Replay",
]

Fold = Callable[[Any, Dict[str, Any]], Any]


class Projection:
    """A fold over events into states, by stream or over the global log, optionally
    partitioned (EventStoreDB's `fromStream`/`fromAll`, `when`, `foreachStream`, `partitionBy`)."""

    def __init__(
        self,
        handlers: Union[Fold, Mapping[str, Fold]],
        *,
        source: Union[None, str, Mapping[str, Any]] = None,
        partition: Optional[str] = None,
        initial: Any = None,
        batch_size: Optional[int] = None,
    ) -> None:
        if callable(handlers):
            fold: Fold = handlers
            types: list[str] = []
        else:
            table = dict(handlers)
            types = list(table)

            def fold(state: Any, event: Dict[str, Any]) -> Any:
                return table[event["type"]](state, event)

        self._p = _Projection(source, fold, types, partition, initial, batch_size)
        self._initial = initial

    def run(self, store: EventStore, now: float = 0.0) -> Dict[str, Any]:
        """Folds every event appended since the last run."""
        return self._p.run(store, now)

    @property
    def states(self) -> Dict[str, Any]:
        """Every partition's state, by key."""
        return self._p.states

    def state(self, key: str = "") -> Any:
        """One partition's state (the initial state when it has seen no event)."""
        return self._p.states.get(key, self._initial)

    @property
    def checkpoint(self) -> Optional[int]:
        """The last revision (a stream) or position (the global log) folded or passed over."""
        return self._p.checkpoint

    def reset(self) -> None:
        """Forgets the states and the checkpoint: the next run rebuilds from scratch."""
        self._p.reset()
