#!/usr/bin/env python3
"""`driftd report` at scale: 100 features × a day of 5-minute windows (288), alerts on 10 of them; feature lines
as driftd writes them (a histogram of ten bins, five drift measures).

Writes a synthetic metric file (fixed seed), times `driftd report` (release build) against `wc -l` on the same
file, and reports the page's size and how many charts it holds.

    Benchmarks/report_scale.py [--features 100] [--windows 288] [--runs 3] [--workdir /tmp/driftd-bench]

The metric file is kept (named after its features and windows) and reused by the next run with the same sizes:
16,000 features × 288 windows are 2.3 GB and take Python a quarter of an hour to write.
"""
import argparse
import json
import os
import random
import subprocess
import time
from datetime import datetime, timedelta, timezone

from driftd_build import release_driftd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=int, default=100)
    ap.add_argument("--windows", type=int, default=288)
    ap.add_argument("--runs", type=int, default=3, help="report runs; the median is shown")
    ap.add_argument("--workdir", default="/tmp/driftd-bench")
    args = ap.parse_args()
    driftd = release_driftd()
    metrics = os.path.join(args.workdir, f"report-metrics-{args.features}x{args.windows}")
    os.makedirs(metrics, exist_ok=True)
    path = os.path.join(metrics, "metrics.jsonl")
    lines = write_metrics(path, args) if not os.path.exists(path) else sum(1 for _ in open(path, "rb"))
    t0 = time.monotonic()
    subprocess.run(["wc", "-l", path], check=True, stdout=subprocess.DEVNULL)
    wc = time.monotonic() - t0
    out = os.path.join(args.workdir, "report.html")
    runs = []
    for _ in range(args.runs):
        timed = subprocess.run(["/usr/bin/time", "-f", "%e %M", driftd, "report", "--metrics", metrics, "--output", out],
                               check=True, capture_output=True, text=True)
        seconds, rss_kib = timed.stderr.strip().splitlines()[-1].split()
        runs.append((float(seconds), int(rss_kib)))
    report, rss_kib = sorted(runs)[len(runs) // 2]
    html = open(out).read()
    print(f"{lines} metric lines ({os.path.getsize(path) / 1e6:.1f} MB), {args.features} features × {args.windows} windows")
    print(f"driftd report: {report:.2f} s (median of {', '.join(f'{r[0]:.2f}' for r in runs)}), "
          f"peak RSS {rss_kib / 1024:.0f} MiB (wc -l: {wc:.3f} s); "
          f"page {os.path.getsize(out) / 1e6:.1f} MB, "
          f"{html.count('<svg')} charts, {html.count(' open><summary>')} features open (alerted), "
          f"{html.count('<details')} collapsible")


def write_metrics(path, args):
    """A day of windows of one model; returns the number of lines written."""
    rng = random.Random(7)
    start = datetime(2026, 11, 26, tzinfo=timezone.utc)
    fmt = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = 0
    with open(path + ".part", "w") as f:
        for w in range(args.windows):
            s, e = start + timedelta(minutes=5 * w), start + timedelta(minutes=5 * (w + 1))
            base = {"model": "fraud-v3", "window": "5m", "window_start": fmt(s), "window_end": fmt(e)}
            f.write(json.dumps({"kind": "window", **base, "records": 3000, "late": 0, "rejected": 0}) + "\n")
            lines += 1
            for i in range(args.features):
                drifting = i < 10 and w >= args.windows // 2
                psi = abs(rng.gauss(0.3 if drifting else 0.01, 0.02))
                histogram = [299 + (rng.randrange(60) if drifting else rng.randrange(5)) for _ in range(10)]
                f.write(json.dumps({"kind": "feature", **base, "feature": f"f{i:03d}", "type": "numeric",
                                    "count": 2990, "missing": 10, "invalid": 0, "mean": rng.gauss(0, 1),
                                    "p50": rng.gauss(0, 1), "histogram": histogram,
                                    "drift": {"psi": psi, "js": psi / 2, "wasserstein_norm": psi / 3,
                                              "ks": psi / 4, "missing_rate_change": 0.0}}) + "\n")
                lines += 1
                if i < 10 and w == args.windows // 2 + 1:
                    f.write(json.dumps({"kind": "alert", **base, "feature": f"f{i:03d}", "alertname": "FeatureDrift",
                                        "state": "firing", "severity": "critical", "value": psi,
                                        "threshold": 0.2}) + "\n")
                    lines += 1
    os.rename(path + ".part", path)
    return lines


if __name__ == "__main__":
    main()
