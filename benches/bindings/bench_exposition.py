"""cnarch.prometheus.parse against prometheus_client's text parser on the same 1 MB scrape
(issue 14's target: at least 10x faster), side by side in one run, best of `rounds`.

    pip install prometheus_client ./cnarch-py
    python3 benches/bindings/bench_exposition.py [rounds]
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scrape import scrape  # noqa: E402

from prometheus_client.parser import text_string_to_metric_families  # noqa: E402

from cnarch import prometheus  # noqa: E402


def best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    text = scrape()
    ours = prometheus.parse(text)
    theirs = list(text_string_to_metric_families(text))
    assert len(ours) == len(theirs)
    assert sum(len(f["samples"]) for f in ours) == sum(len(f.samples) for f in theirs)
    a = best(lambda: prometheus.parse(text), rounds)
    b = best(lambda: list(text_string_to_metric_families(text)), rounds)
    print(f"scrape: {len(text):,} bytes, {sum(len(f['samples']) for f in ours):,} samples")
    print(f"cnarch.prometheus.parse          {a * 1e3:8.2f} ms")
    print(f"prometheus_client text parser    {b * 1e3:8.2f} ms")
    print(f"ratio                            {b / a:8.1f}x")


if __name__ == "__main__":
    main()
