"""Exceptions and the violation record. Each cnarch-core error kind maps to exactly one class."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple


@dataclass(frozen=True)
class Violation:
    """One problem in a spec: where it is, a stable code, and what was expected."""

    document: int
    name: Optional[str]
    path: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"document {self.document}"
        if self.name is not None:
            where += f" (`{self.name}`)"
        if self.path:
            where += f" at `{self.path}`"
        return f"{where}: {self.message}"


class CnarchError(Exception):
    """Base class of every cnarch error. `code` is stable and the same in Rust and JS."""

    code: str

    def __init__(self, message: str, code: str = "internal_error") -> None:
        super().__init__(message)
        self.code = code


class ParseError(CnarchError, ValueError):
    """Text that is not valid YAML/JSON, or not a valid quantity, duration or schedule.

    `position` is `(line, column)`, 1-based, where known.
    """

    position: Optional[Tuple[int, int]]

    def __init__(self, message: str, code: str, position: Optional[Tuple[int, int]] = None) -> None:
        super().__init__(message, code)
        self.position = position


class ValidationError(CnarchError, ValueError):
    """Documents that break the schema or its rules; `violations` lists every one."""

    violations: List[Violation]

    def __init__(self, message: str, violations: List[Violation]) -> None:
        super().__init__(message, "invalid_document")
        self.violations = list(violations)


class PolicyError(CnarchError, ValueError):
    """A policy the engine cannot use (a missing field, an invalid selector) or an endpoint it
    does not know."""
