"""Per-call cost of a protected call from Python, side by side in one run: cnarch's
`CircuitBreaker.call` vs pybreaker's `CircuitBreaker.call`, both wrapping the same no-op
function on a closed breaker (best of `rounds` runs of `n` calls each).

    pip install pybreaker && python3 benches/bindings/bench_breaker.py [n] [rounds]
"""

import sys
import time
from importlib.metadata import version

import pybreaker

from cnarch.resilience import CircuitBreaker


def noop(x):
    return x


def per_call(call, n, rounds):
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(n):
            call(noop, i)
        best = min(best, (time.perf_counter() - start) / n)
    return best


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    bare = per_call(lambda f, x: f(x), n, rounds)
    ours = per_call(CircuitBreaker().call, n, rounds)
    theirs = per_call(pybreaker.CircuitBreaker().call, n, rounds)
    print(f"python {sys.version.split()[0]}, pybreaker {version('pybreaker')}, {n} calls, best of {rounds}")
    print(f"  bare call:                  {bare * 1e9:8.0f} ns")
    print(f"  cnarch CircuitBreaker.call: {ours * 1e9:8.0f} ns")
    print(f"  pybreaker.call:             {theirs * 1e9:8.0f} ns  ({theirs / ours:.2f}x cnarch)")


if __name__ == "__main__":
    main()
