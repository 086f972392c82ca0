"""testdata/labels/ vectors and the selector API, through the Python binding."""

import pytest

import cnarch
from cnarch.labels import Selector, SelectorIndex
from conftest import vectors

V = vectors("labels/selectors.json")


@pytest.mark.parametrize("case", V["parse"], ids=lambda c: repr(c["input"]))
def test_parse_and_print(case):
    s = Selector.parse(case["input"])
    assert str(s) == case["string"]
    assert Selector.parse(str(s)) == s


@pytest.mark.parametrize("text", V["invalid"])
def test_invalid(text):
    with pytest.raises(cnarch.ParseError) as e:
        Selector.parse(text)
    line, column = e.value.position
    assert line == 1 and 1 <= column <= len(text.encode()) + 1


@pytest.mark.parametrize("case", V["matches"], ids=lambda c: c["selector"])
def test_matches(case):
    assert Selector.parse(case["selector"]).matches(case["labels"]) is case["match"]


@pytest.mark.parametrize("case", V["structured"], ids=lambda c: c["string"])
def test_structured(case):
    s = Selector.from_label_selector(case["labelSelector"])
    assert str(s) == case["string"]
    assert Selector.from_label_selector(s.to_label_selector()) == s


def test_everything_nothing_overlap_subset_and_index():
    nothing = Selector.from_label_selector(None)
    assert nothing.is_nothing and not nothing.matches({}) and nothing != Selector.everything()
    assert Selector.everything().is_everything and Selector.everything().matches({"x": "y"})
    assert Selector.parse("x in (a)").overlaps(Selector.parse("x notin (a)")) is None
    w = Selector.parse("x>5").overlaps(Selector.parse("x<8,x!=6"))
    assert w == {"x": "7"}
    assert Selector.parse("app=web,tier=fe").is_subset_of(Selector.parse("app=web"))
    index = SelectorIndex()
    ids = [index.insert(Selector.parse(s)) for s in ["app=web", "app=db", "!legacy"]]
    assert len(index) == 3 and index.matching({"app": "web"}) == [ids[0], ids[2]]
    with pytest.raises(cnarch.ParseError):
        Selector.from_label_selector({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]})
    with pytest.raises(cnarch.ParseError):
        Selector.parse("x>1").to_label_selector()
    assert repr(Selector.parse("b,a")) == 'Selector.parse("a,b")'
