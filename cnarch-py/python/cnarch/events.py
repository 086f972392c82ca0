"""EventBridge event patterns as aws/event-ruler defines them (`cnarch_core::events`).

`matches(pattern, event)` tests one pattern; `PatternMatcher()` compiles many named patterns
into one index: `.add(name, pattern)` (the same name again adds an alternative), `.remove(name)`,
`.match(event)` (the sorted names that match), `.names`, `len(m)`, `name in m`. A pattern or an
event is a dict or its JSON text. A pattern event-ruler would refuse raises
`cnarch.PatternError` (a `ValueError`) with `.code == "invalid_event_pattern"` and `.path`, the
place in the pattern (`detail.state[0].numeric`), keys as written.

SNS: `filter_policy_matches(policy, *, attributes=None, body=None, scope="MessageAttributes")`,
and `FilterPolicy(policy, scope="MessageAttributes")` (or `"MessageBody"`) checks the policy
against SNS's operators and limits (`cnarch.PatternError`, `.code == "invalid_filter_policy"`);
`.evaluate(attributes=None, body=None)` gives `{"delivered", "failed_keys"}` (plus `"reason"`
when no key is to blame), `.matches(...)` the bool, `.keys`, `.combinations`, `.scope`.
Attributes are a dict of name to `{"Type": "String", "Value": "x"}` (as in a notification) or
`{"DataType": ..., "StringValue": ...}` (as `Publish` takes them); the body is text or a dict.
`Topic(name)` with `.subscribe(name, protocol, policy=None, scope="MessageAttributes")`, `.unsubscribe(name)` and
`.publish(attributes=None, body=None)`: one dict per subscription, in order.

SQS: `Queue(name, attributes=None, *, dead_letter_attributes=None)` simulates a queue (and the
dead-letter queue its `RedrivePolicy` names) at the times you give, in seconds: attributes as
CreateQueue takes them (`{"VisibilityTimeout": 30, "FifoQueue": True, ...}`, values also as
AWS's strings), `.send(now, body, *, delay_seconds, message_group_id,
message_deduplication_id)`, `.receive(now, *, max_messages, visibility_timeout,
wait_time_seconds, dead_letter=False)` (dicts with `receipt_handle`, `body`, `receive_count`,
...), `.delete(now, receipt_handle)`, `.change_visibility(now, receipt_handle,
visibility_timeout)` and `.metrics(now)` (visible, in flight, delayed, moved, expired, ...).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Union

from ._core import FilterPolicy, PatternMatcher, Queue, Topic, _event_matches, _filter_policy_matches

Json = Union[str, Mapping[str, Any]]


def matches(pattern: Json, event: Json) -> bool:
    """Whether `event` matches the EventBridge `pattern` (each a dict or JSON text)."""
    return _event_matches(pattern, event)


def filter_policy_matches(
    policy: Json,
    *,
    attributes: Optional[Mapping[str, Any]] = None,
    body: Union[str, Mapping[str, Any], None] = None,
    scope: str = "MessageAttributes",
) -> bool:
    """Whether a message with these attributes (SNS's wire form) and this body passes the SNS
    filter `policy` read for `scope` (one call for `FilterPolicy(policy, scope).matches(...)`)."""
    return _filter_policy_matches(policy, attributes, body, scope)


__all__ = ["FilterPolicy", "PatternMatcher", "Queue", "Topic", "filter_policy_matches", "matches"]
