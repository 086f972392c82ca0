"""Times `cnarch.load` on a spec file (the load_validate bench input): median of N runs."""

import statistics
import sys
import time

import cnarch

path, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20
text = open(path, encoding="utf-8").read()
assert len(cnarch.load(text)) == 1000
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    cnarch.load(text)
    times.append(time.perf_counter() - t0)
print(f"python cnarch.load: median {statistics.median(times) * 1e3:.1f} ms, min {min(times) * 1e3:.1f} ms over {runs} runs")
