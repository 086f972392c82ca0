"""The 1 MB scrape of the exposition benchmarks: the same text `benches/benches/exposition.rs`
writes (counters, gauges and histograms with labels, in turn, until `size` bytes)."""

from __future__ import annotations

METHODS = ["GET", "POST", "PUT", "DELETE"]
CODES = ["200", "201", "404", "500", "503"]
BOUNDS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"]


def _g(x: float) -> str:
    # Rust's `{}` for an f64: integers without a point, others shortest.
    return str(int(x)) if x == int(x) else repr(x)


def scrape(size: int = 1 << 20) -> str:
    out: list[str] = []
    n_bytes = 0
    f = 0
    while n_bytes < size:
        n = f"app_{f}"
        lines: list[str] = []
        if f % 3 == 0:
            lines.append(f"# HELP {n}_requests_total Requests handled by handler {f}.")
            lines.append(f"# TYPE {n}_requests_total counter")
            for i in range(20):
                lines.append(
                    f'{n}_requests_total{{method="{METHODS[i % 4]}",code="{CODES[i % 5]}",instance="10.0.{f % 256}.{i}:8080",job="api"}} {(f * 31 + i * 7) * 3} 1700000000000'
                )
        elif f % 3 == 1:
            lines.append(f"# HELP {n}_queue_depth Items waiting in queue {f}.")
            lines.append(f"# TYPE {n}_queue_depth gauge")
            for i in range(10):
                lines.append(f'{n}_queue_depth{{queue="q{i}",instance="10.0.{f % 256}.{i}:8080"}} {_g(i * 0.25)}')
        else:
            lines.append(f"# HELP {n}_duration_seconds Latency of handler {f}.")
            lines.append(f"# TYPE {n}_duration_seconds histogram")
            for i in range(5):
                labels = f'method="{METHODS[i % 4]}",instance="10.0.{f % 256}.{i}:8080"'
                count = 0
                for b, le in enumerate(BOUNDS):
                    count += b + i
                    lines.append(f'{n}_duration_seconds_bucket{{{labels},le="{le}"}} {count}')
                lines.append(f'{n}_duration_seconds_bucket{{{labels},le="+Inf"}} {count}')
                lines.append(f"{n}_duration_seconds_sum{{{labels}}} {_g(count * 0.125)}")
                lines.append(f"{n}_duration_seconds_count{{{labels}}} {count}")
        for line in lines:
            out.append(line + "\n")
            n_bytes += len(line) + 1
        f += 1
    return "".join(out)
