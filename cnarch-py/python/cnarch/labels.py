"""Kubernetes label selectors with apimachinery's exact semantics (`cnarch_core::labels`).

`Selector.parse("app=web,tier in (a,b),!legacy")`, `str(sel)` (apimachinery's canonical
form), `sel.matches({"app": "web"})`, `Selector.everything()` / `Selector.nothing()`,
`Selector.from_label_selector(dict_or_None)` / `sel.to_label_selector()`,
`sel.overlaps(other)` (a witness label set or `None`), `sel.is_subset_of(other)`, and
`SelectorIndex` for many selectors. Parse errors are `cnarch.ParseError` with
`position == (1, byte offset + 1)`.
"""

from ._core import Selector, SelectorIndex

__all__ = ["Selector", "SelectorIndex"]
