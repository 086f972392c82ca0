"""`PatternMatcher.match` from Python, next to the Rust time of `benches/events.rs`: the same
10,000 rules (built here as that bench builds them) and the same ~1 KB event (benches/data/order_event.json), the event
given as a dict and as JSON text, and the cost of a call that does nothing (`name in m`) as the
call overhead (best of `rounds` runs of `n` calls each).

    python3 benches/bindings/bench_events.py [n] [rounds]
"""

import json
import sys
import time
from pathlib import Path

from cnarch.events import PatternMatcher


def rule(i):
    detail = [
        lambda: {"state": [f"state{i % 50}", "shipped"]},
        lambda: {"amount": [{"numeric": [">", float(i % 1000), "<=", float(i % 1000 + 50)]}]},
        lambda: {"customer": {"email": [{"equals-ignore-case": f"user{i}@Example.com"}]}},
        lambda: {"sku": [{"prefix": f"SKU-{i % 300}"}]},
        lambda: {"region": [{"anything-but": [f"r{i % 20}", "eu-west-3"]}]},
        lambda: {"coupon": [{"exists": i % 2 == 0}]},
        lambda: {"items": {"category": [f"cat{i % 60}"]}},
        lambda: {"id": [{"suffix": f"{i % 10_000:04}"}]},
    ][(i // 1000) % 8]()
    return {"source": [f"com.shop.team{i % 40}"], "detail-type": [f"Order{(i // 40) % 25}"], "detail": detail}


EVENT = json.loads((Path(__file__).parent.parent / "data" / "order_event.json").read_text())


def per_call(f, arg, n, rounds):
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(n):
            f(arg)
        best = min(best, (time.perf_counter() - start) / n)
    return best


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    m = PatternMatcher()
    for i in range(10_000):
        m.add(f"rule-{i:05}", rule(i))
    text = json.dumps(EVENT, separators=(",", ":"))
    want = [f"rule-{137 + 1000 * k:05}" for k in range(10)]
    hits = m.match(EVENT)
    assert set(hits) <= set(want) and len(hits) >= 5, hits
    assert m.match(text) == hits
    overhead = per_call(m.__contains__, "rule-00137", n, rounds)
    as_dict = per_call(m.match, EVENT, n, rounds)
    as_text = per_call(m.match, text, n, rounds)
    print(f"python {sys.version.split()[0]}: 10,000 rules, {len(text)}-byte event, {len(hits)} matches, best of {rounds} x {n}")
    print(f"  call overhead (name in m): {overhead * 1e6:7.2f} us")
    print(f"  match(dict):               {as_dict * 1e6:7.2f} us  ({1 / as_dict:,.0f} events/s)")
    print(f"  match(JSON text):          {as_text * 1e6:7.2f} us  ({1 / as_text:,.0f} events/s)")


if __name__ == "__main__":
    main()
