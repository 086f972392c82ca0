import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def vectors(name: str):
    return json.loads((ROOT / "testdata" / name).read_text(encoding="utf-8"))


@pytest.fixture
def root() -> pathlib.Path:
    return ROOT
