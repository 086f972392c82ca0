"""`PatternMatcher.match` from Python, next to the Rust time of `benches/events.rs`: the same
10,000 rules and the same ~1 KB event (both built here as that bench builds them), the event
given as a dict and as JSON text, and the cost of a call that does nothing (`name in m`) as the
call overhead (best of `rounds` runs of `n` calls each).

    python3 benches/bindings/bench_events.py [n] [rounds]
"""

import json
import sys
import time

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


EVENT = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "Order3",
    "source": "com.shop.team17",
    "account": "111122223333",
    "time": "2026-12-03T12:00:00Z",
    "region": "eu-west-1",
    "resources": ["arn:aws:events:eu-west-1:111122223333:rule/orders", "arn:aws:sqs:eu-west-1:111122223333:orders"],
    "detail": {
        "id": "ord-000000007137",
        "state": "shipped",
        "amount": 150.5,
        "currency": "EUR",
        "region": "eu-west-1",
        "sku": "SKU-137-XL-BLUE",
        "customer": {"id": "c-42", "email": "USER2137@example.com", "tier": "gold", "since": "2019-04-01"},
        "items": [
            {"category": "cat17", "sku": "SKU-17-XL-BLUE", "qty": 2, "price": 150.0},
            {"category": "cat5", "sku": "SKU-5-S-RED", "qty": 1, "price": 117.25},
        ],
        "shipping": {"method": "express", "address": {"city": "Dublin", "country": "IE", "zip": "D02"}},
        "notes": "leave at the door, ring twice; the parcel holds fragile items, keep it upright",
        "channel": {"name": "web", "campaign": "winter-sale-2026", "referrer": "https://example.com/newsletter"},
        "tags": ["gift", "priority", "eu"],
        "payment": {"method": "card", "network": "visa", "last4": "4242", "authorized": True, "captured": False, "riskScore": 12},
    },
}


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
