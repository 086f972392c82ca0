"""Exceptions and the violation record. Each error kind of cnarch-core maps to exactly one class
(the table is `docs/errors.md`); every class carries `.code`, `.path`, `.position` and
`.violations`, and keeps the built-in base a Python user expects (`ValueError`, `TypeError`,
`OverflowError`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, List, Optional, Tuple


@dataclass(frozen=True)
class Violation:
    """One problem in a spec: where it is, a stable code, and what was expected."""

    document: int
    name: Optional[str]
    path: str
    code: str
    message: str
    #: Line (1-based) of the value at `path` in the source text, or of the nearest enclosing
    #: value when it is missing; None when the input was not text.
    line: Optional[int] = None
    #: Column (1-based, in characters) that goes with `line`.
    column: Optional[int] = None

    def __str__(self) -> str:
        where = f"document {self.document}"
        if self.name is not None:
            where += f" (`{self.name}`)"
        if self.path:
            where += f" at `{self.path}`"
        if self.line is not None and self.column is not None:
            where += f" (line {self.line}, column {self.column})"
        return f"{where}: {self.message}"


class CnarchError(Exception):
    """Base class of every cnarch error. `code` is stable and the same in Rust and JS; `path`
    names the field or argument (as you spelled it) where one is at fault; `position` is
    `(line, column)`, 1-based, for errors in text; `violations` lists every problem of a
    validation error."""

    code: str
    path: Optional[str]
    position: Optional[Tuple[int, int]]
    violations: List[Violation]

    def __init__(
        self,
        message: str,
        code: str = "internal_error",
        *,
        path: Optional[str] = None,
        position: Optional[Tuple[int, int]] = None,
        violations: Iterable[Violation] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.path = path
        self.position = position
        self.violations = list(violations)


class ParseError(CnarchError, ValueError):
    """Text that is not valid YAML/JSON, or not a valid quantity, duration, schedule or
    selector. `position` is `(line, column)`, 1-based, where known."""


class ValidationError(CnarchError, ValueError):
    """Documents or structured input that break the rules; `violations` lists every one."""


class ConfigError(CnarchError, ValueError):
    """A configuration (breaker, retry policy, limiter, autoscaler, objective, ...) that breaks
    its rules; `path` names the field."""


class ArgumentError(CnarchError, ValueError):
    """An argument outside its domain (a negative or NaN time, a count out of range, an error
    ratio above 1, more tokens than the burst); `path` names the argument."""


class ArgumentTypeError(CnarchError, TypeError):
    """An argument of the wrong type; `path` names the argument."""


class PolicyError(CnarchError, ValueError):
    """A policy the engine cannot use (a missing field, an invalid selector) or an endpoint it
    does not know."""


class CalculationError(CnarchError, ValueError):
    """A computation without an answer for these inputs (the HPA's "no metrics returned")."""


class StateError(CnarchError, ValueError):
    """A stateful object used out of order (a bulkhead released more often than entered)."""


class PatternError(CnarchError, ValueError):
    """An EventBridge event pattern or SNS filter policy that is not valid; `path` names the
    place in the pattern (`detail.state[0].numeric`) as you wrote it."""


class TraceContextError(CnarchError, ValueError):
    """A W3C Trace Context header that is not valid (`code` is `invalid_traceparent` or
    `invalid_tracestate`); the recommendation's answer is to discard the header."""


class QuantityOverflowError(CnarchError, OverflowError):
    """Quantity arithmetic past the representable range."""


class CallNotPermitted(CnarchError):
    """Raised by `CircuitBreaker.call` when the breaker refuses the call; `rejected` holds the
    state and the wait before a retry may succeed."""

    rejected: Any

    def __init__(self, rejected: Any = None, code: str = "call_not_permitted", **kwargs: Any) -> None:
        if isinstance(rejected, str):
            message = rejected
            rejected = None
        else:
            message = f"call not permitted: breaker is {getattr(rejected, 'state', 'open')}"
        super().__init__(message, code, **kwargs)
        self.rejected = rejected
