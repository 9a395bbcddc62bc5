#!/usr/bin/env python3
"""Apache DataSketches' own answers for driftd's sketch formats (Python `datasketches`, which wraps the C++ library).

    python3 scripts/make_sketch_fixture.py            # writes Tests/DriftStatsTests/Fixtures/datasketches.json
    python3 scripts/make_sketch_fixture.py --check F  # reads the sketches driftd wrote to F (JSON lines)
    python3 scripts/make_sketch_fixture.py --check-profiles profiles.jsonl...  # every sketch of profile lines

The fixture holds sketches made by DataSketches (base64) with what it says of them; DataSketchesTests check that
driftd reads them (n, min, max, registers) and merges them. Check mode deserializes every sketch driftd wrote and
compares n, min, max, quantiles (within the rank bound given on the line) and the distinct estimate (within 3%)
with what driftd computed exactly; it prints one line per sketch and exits 1 on any difference."""
import base64, json, os, random, struct, sys

import datasketches as ds

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "Tests", "DriftStatsTests", "Fixtures", "datasketches.json")
LEVELS = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]


def b64(b):
    return base64.b64encode(bytes(b)).decode()


def kll(values, k=200):
    s = ds.kll_doubles_sketch(k)
    for v in values:
        s.update(v)
    # Doubles as their bit patterns (hex): JSON readers may misround 17-digit decimals.
    return {"b64": b64(s.serialize()), "n": s.n, "min": bits(s.get_min_value()) if s.n else None,
            "max": bits(s.get_max_value()) if s.n else None,
            "quantiles": [bits(s.get_quantile(q, True)) for q in LEVELS] if s.n else []}


def bits(x):
    return struct.pack(">d", x).hex()


def hll(values, lg_k=12):
    s = ds.hll_sketch(lg_k, ds.tgt_hll_type.HLL_8)
    for v in values:
        s.update(v)
    return {"b64": b64(s.serialize_compact()), "estimate": s.get_estimate(), "exact": len(set(values))}


def make():
    rng = random.Random(7)
    fixture = {
        "levels": LEVELS,
        "kll": {
            "empty": kll([]),
            "one": kll([2.5]),
            "small": kll([rng.uniform(-1, 1) for _ in range(150)]),
            "lognormal": kll([rng.lognormvariate(3, 1) for _ in range(100_000)]),
            "integers": kll([float(rng.randint(0, 50)) for _ in range(30_000)]),
        },
        "hll": {
            "few": hll(["a", "b", "c"]),
            "strings": hll([f"user-{i}" for i in range(5000)]),
            "long": hll([f"https://example.org/a/{i}/" + "é" * (i % 20) for i in range(2000)]),
            "doubles": hll([i * 0.5 for i in range(3000)] + [-0.0, 0.0, float("nan")]),
            "empty": hll([]),
        },
    }
    with open(FIXTURE, "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", FIXTURE)


def check(path):
    failures = 0
    for line in open(path):
        o = json.loads(line)
        name, raw = o["name"], base64.b64decode(o["b64"])
        if o["kind"] == "kll":
            s = ds.kll_doubles_sketch.deserialize(raw)
            problems = []
            if s.n != o["n"]: problems.append(f"n {s.n} != {o['n']}")
            if s.n and (s.get_min_value() != o["min"] or s.get_max_value() != o["max"]):
                problems.append(f"min/max {s.get_min_value()}/{s.get_max_value()} != {o['min']}/{o['max']}")
            for q, lo, hi in o.get("bounds", []):
                v = s.get_quantile(q, True)
                if not (lo <= v <= hi): problems.append(f"q{q} {v} outside [{lo}, {hi}]")
            print(f"kll {name}: n {s.n} k {s.k} retained {s.num_retained}",
                  "ok" if not problems else "FAIL " + "; ".join(problems))
        else:
            s = ds.hll_sketch.deserialize(raw)
            est, exact = s.get_estimate(), o["exact"]
            ok = abs(est - exact) <= max(0.03 * exact, 1.0) and s.lg_config_k == o["lg_k"]
            problems = [] if ok else [f"estimate {est} vs exact {exact}"]
            print(f"hll {name}: estimate {est:.1f} exact {exact} lg_k {s.lg_config_k}",
                  "ok" if ok else "FAIL " + "; ".join(problems))
        failures += bool(problems)
    sys.exit(1 if failures else 0)


def check_profiles(paths):
    """Every sketch of driftd's profile lines (profiles.jsonl) deserializes, with the line's n, min and max."""
    failures = lines = 0
    for path in paths:
        for line in open(path):
            o = json.loads(line)
            lines += 1
            problems = []
            if o["schema"] != "driftd.profile.v1": problems.append("schema " + o["schema"])
            h = ds.hll_sketch.deserialize(base64.b64decode(o["hll"]["b64"]))
            if h.lg_config_k != o["hll"]["lg_k"]: problems.append("hll lg_k")
            if o["type"] == "categorical" and o["n"] == 0 and h.get_estimate() != 0: problems.append("hll not empty")
            if o["kll"] is not None:
                s = ds.kll_doubles_sketch.deserialize(base64.b64decode(o["kll"]["b64"]))
                finite = o["n"] - o["non_finite"]
                if s.n != finite: problems.append(f"kll n {s.n} != {finite}")
                if s.k != o["kll"]["k"]: problems.append("kll k")
                if s.get_min_value() != o["min"] or s.get_max_value() != o["max"]:
                    problems.append(f"kll min/max {s.get_min_value()}/{s.get_max_value()} != {o['min']}/{o['max']}")
            elif o["type"] == "numeric" and o["n"] - o["non_finite"] > 0:
                problems.append("numeric values without a kll")
            if problems:
                failures += 1
                print(f"{o['model']} {o['window_start']} {o['feature']}: FAIL " + "; ".join(problems))
    print(f"profiles: {lines} lines, {failures} failed")
    sys.exit(1 if failures or not lines else 0)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--check-profiles":
        check_profiles(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        make()
