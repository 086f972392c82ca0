"""What cnarch renders in the exposition format, read by promtool's own parser (expfmt, via
`promtool check metrics`): the vectors' texts rendered back, and seeded random families with
escapes and special values. Skipped where promtool is not installed (scripts/setup.sh
installs Debian's prometheus package)."""

from __future__ import annotations

import math
import random
import shutil
import subprocess

import pytest

from cnarch import prometheus
from conftest import vectors

PROMTOOL = shutil.which("promtool")
pytestmark = pytest.mark.skipif(PROMTOOL is None, reason="promtool is not installed")


def promtool_parses(text: str) -> str:
    r = subprocess.run([PROMTOOL, "check", "metrics"], input=text.encode(), capture_output=True, timeout=60)
    out = (r.stdout + r.stderr).decode()
    return "" if "parsing error" not in out else out


def test_rendered_vectors_parse_in_promtool():
    for c in vectors("prometheus/exposition.json")["valid"]:
        text = prometheus.render(prometheus.parse(c["text"]))
        assert promtool_parses(text) == "", (c["name"], text)


def random_families(rng: random.Random):
    values = [0.0, 1.0, -1.0, 1e6, 1.5e-7, math.inf, -math.inf, math.nan, 123456789.125, 5e-324]
    chars = 'ab\\"\n é{}=,'
    fams = []
    for f in range(rng.randint(1, 6)):
        kind = rng.choice(["counter", "gauge", "untyped"])
        name = f"m{f}_{rng.choice(['x', 'total', 'seconds', 'a:b'])}"
        samples = []
        for i in range(rng.randint(0, 5)):
            labels = {f"l{j}": "".join(rng.choice(chars) for _ in range(rng.randint(0, 5))) for j in range(rng.randint(0, 3))}
            labels["i"] = str(i)
            ts = rng.choice([None, 0, -5, 1700000000000, 2**63 - 1])
            samples.append((name, labels, rng.choice(values + [rng.uniform(-1e9, 1e9)]), ts))
        help_text = rng.choice([None, "", "Help with \\ and\nnewline é", "x"])
        fams.append({"name": name, "help": help_text, "type": kind, "samples": samples})
    return fams


def test_random_families_parse_in_promtool():
    rng = random.Random(14)
    texts = [prometheus.render(random_families(rng)) for _ in range(50)]
    for text in texts:
        assert promtool_parses(text) == "", text
