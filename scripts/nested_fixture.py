#!/usr/bin/env python3
"""Writes the nested/array/zone fixture of Tests/DriftPipelineTests (NestedFixtureTests) and its expected
statistics, computed here with Python's json and zoneinfo, independently of driftd.

    python3 scripts/nested_fixture.py

Records as a Python service logs them: naive local times in Europe/Paris across the end of summer time
(2026-10-25: 02:00-03:00 is written twice, and read as its first occurrence, fold=0, as driftd documents) with a few UTC
times from another writer; the model under service.model.name; features nested under request; arrays of
strings, of numbers and mixed; nulls, absences, values of the wrong type and an object deeper than
flatten_depth (4)."""
import datetime, json, os, random
from zoneinfo import ZoneInfo

random.seed(17)
PARIS = ZoneInfo("Europe/Paris")
HERE = os.path.join(os.path.dirname(__file__), "..", "Tests", "DriftPipelineTests", "Fixtures")
DEPTH = 4
WINDOW = 3600

def record(local):
    r = {"customer": {}, "usage": {}}
    c = r["customer"]
    u = random.random()
    if u < 0.05: c["age"] = None
    elif u < 0.10: pass
    elif u < 0.13: c["age"] = str(random.randint(18, 90))  # a string: invalid for a numeric feature
    else: c["age"] = random.randint(18, 90)
    c["country"] = random.choice(["FR", "DE", "ES", "IT", "NL"]) if random.random() > 0.04 else None
    c["vip"] = random.random() < 0.2
    c["devices"] = random.sample(["ios", "android", "web", "tv"], random.randint(0, 3))
    if random.random() < 0.3:
        c["address"] = {"geo": {"lat": round(random.uniform(41, 51), 6), "lon": round(random.uniform(-5, 9), 6)}}
    r["usage"]["calls"] = random.randint(0, 40)
    r["usage"]["bytes"] = random.uniform(0, 1e6)
    v = random.random()
    if v < 0.1: pass
    elif v < 0.15: r["tags"] = []
    elif v < 0.2: r["tags"] = None
    elif v < 0.25: r["tags"] = ["promo", 7, None, True]  # numbers and nulls count in the length only
    else: r["tags"] = random.sample(["promo", "new", "returning", "mobile", "night", "b2b"], random.randint(1, 4))
    r["scores"] = [random.random() for _ in range(random.randint(0, 3))]
    r["deep"] = {"a": {"b": {"c": {"d": {"e": 1}}}}}
    if random.random() < 0.05: r["usage"] = "unmetered"  # an object that became a string: usage is a feature then
    return r

def flatten(obj, prefix="", depth=0):
    out = []
    for k, v in obj.items():
        name = prefix + k
        if isinstance(v, dict) and depth < DEPTH:
            out += flatten(v, name + ".", depth + 1)
        elif isinstance(v, list):
            out.append((name + ".length", len(v)))
            elems = ["true" if e is True else "false" if e is False else e for e in v if isinstance(e, (str, bool))]
            if elems: out.append((name + "[]", ("elements", elems)))
        else:
            out.append((name, v))
    return out

lines, parsed = [], []
# Instants in UTC from 21:30Z; the service writes them as Paris wall-clock time without an offset, so that
# 02:00-03:00 local is written twice (at 00:xxZ and 01:xxZ). driftd reads both as the first: the expected windows
# come from reading the written text back the same way (fold=0), not from the true instants.
t = datetime.datetime(2026, 10, 24, 21, 30, tzinfo=datetime.timezone.utc)
for i in range(500):
    t += datetime.timedelta(seconds=random.uniform(10, 50), microseconds=random.randint(0, 999999))
    model = "fraud" if random.random() < 0.75 else "churn"
    if random.random() < 0.06:  # another writer, in UTC with Z
        ts = t.replace(tzinfo=None).isoformat() + "Z"
        utc = t
    else:
        naive = t.astimezone(PARIS).replace(tzinfo=None)
        ts = naive.isoformat()
        utc = naive.replace(fold=0, tzinfo=PARIS).astimezone(datetime.timezone.utc)
    rec = {"@timestamp": ts, "level": "info", "service": {"model": {"name": model}}, "request": record(t)}
    lines.append(json.dumps(rec))
    parsed.append((model, int(utc.timestamp()) // WINDOW * WINDOW, rec["request"]))

def kind(v):
    if v is None: return "null"
    if isinstance(v, bool) or isinstance(v, str): return "categorical"
    if isinstance(v, (int, float)): return "numeric"
    return "structured"

# Per model, window and feature: the values, as driftd's rules classify them.
stats, records, types = {}, {}, {}
for model, window, request in parsed:
    records[(model, window)] = records.get((model, window), 0) + 1
    for name, v in flatten(request):
        s = stats.setdefault((model, window, name), {"numeric": [], "categorical": [], "structured": 0, "listed": 0})
        if isinstance(v, tuple):
            s["categorical"] += v[1]
            s["listed"] += 1
        else:
            k = kind(v)
            if k == "numeric": s["numeric"].append(float(v))
            elif k == "categorical": s["categorical"].append("true" if v is True else "false" if v is False else v)
            elif k == "structured": s["structured"] += 1

expected = []
for model in sorted({m for m, _ in records}):
    known = set()
    for window in sorted(w for m, w in records if m == model):
        n = records[(model, window)]
        names = {f for (m, w, f) in stats if m == model and w == window}
        for name in sorted(known | names):
            s = stats.get((model, window, name), {"numeric": [], "categorical": [], "structured": 0, "listed": 0})
            if name not in types and (s["numeric"] or s["categorical"]):
                # The first window with values settles the type: the kind with more values, numbers on a tie.
                types[(model, name)] = "numeric" if len(s["numeric"]) >= len(s["categorical"]) else "categorical"
            t = types.get((model, name), "numeric")
            count = len(s[t])
            invalid = s["structured"] + len(s["categorical" if t == "numeric" else "numeric"])
            missing = n - s["listed"] if s["listed"] else n - count - invalid
            e = {"model": model, "window_start": datetime.datetime.fromtimestamp(window, datetime.timezone.utc)
                 .strftime("%Y-%m-%dT%H:%M:%SZ"), "records": n, "feature": name, "type": t, "count": count,
                 "missing": missing, "invalid": invalid}
            if t == "numeric" and s["numeric"]:
                xs = s["numeric"]
                e.update({"mean": sum(xs) / len(xs), "min": min(xs), "max": max(xs)})
            if t == "categorical":
                counts = {}
                for v in s["categorical"]: counts[v] = counts.get(v, 0) + 1
                e["values"] = counts
            expected.append(e)
        # A feature is reported in later windows once a window settled its type (it had a value): one that was
        # only ever null is reported where it appears.
        known |= {f for f in names if (model, f) in types}

os.makedirs(HERE, exist_ok=True)
with open(os.path.join(HERE, "nested.jsonl"), "w") as f:
    f.write("\n".join(lines) + "\n")
with open(os.path.join(HERE, "nested.expected.json"), "w") as f:
    json.dump(expected, f, indent=0, sort_keys=True)
    f.write("\n")
print(len(lines), "records,", len(expected), "expected feature lines")
