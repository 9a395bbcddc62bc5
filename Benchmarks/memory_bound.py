#!/usr/bin/env python3
"""Memory stays bounded whatever the volume and the cardinality (DESIGN §4).

Generates 1M and 10M records whose merchant_id is drawn from 1,000,000 values (half Zipf, half uniform), all in
a single 24h window (1,000 records per second of event time), and reports driftd replay's peak RSS for each and
the distinct estimate against the exact count (computed here from the decompressed file).

    Benchmarks/memory_bound.py [--sizes 1000000 10000000] [--workdir /tmp/driftd-bench]
"""
import argparse
import json
import os
import subprocess
import sys

from driftd_build import release_driftd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--merchants", type=int, default=1_000_000)
    ap.add_argument("--workdir", default="/tmp/driftd-bench")
    args = ap.parse_args()
    driftd = release_driftd()
    os.makedirs(args.workdir, exist_ok=True)
    config = os.path.join(args.workdir, "memory.yaml")
    with open(config, "w") as f:
        f.write("inputs:\n  - path: unused\nwindows:\n  - size: 24h\n")
    for n in args.sizes:
        data = os.path.join(args.workdir, f"card-{n}-{args.merchants}.jsonl.zst")
        if not os.path.exists(data):
            subprocess.run([driftd, "generate", "--output", data, "--records", str(n), "--seed", "3", "--rate", "1000",
                            "--merchants", str(args.merchants)], check=True, stderr=subprocess.DEVNULL)
        out = os.path.join(args.workdir, f"memory-metrics-{n}")
        subprocess.run(["rm", "-rf", out])
        timed = subprocess.run(["/usr/bin/time", "-f", "%M %e", driftd, "replay", "--config", config, "--output-dir",
                                out, data], check=True, capture_output=True, text=True)
        rss_kib, seconds = timed.stderr.strip().splitlines()[-1].split()
        exact = subprocess.run(
            f"zstd -dc {data} | grep -o '\"merchant_id\":\"m[0-9]*\"' | sort -u | wc -l", shell=True, check=True,
            capture_output=True, text=True).stdout.strip()
        estimate = None
        for line in open(os.path.join(out, "metrics.jsonl")):
            row = json.loads(line)
            if row.get("feature") == "merchant_id":
                estimate = row["distinct"]
        err = abs(estimate - int(exact)) / int(exact)
        print(f"{n:>10,} records: peak RSS {int(rss_kib) / 1024:6.1f} MiB, {float(seconds):6.1f} s; merchant_id "
              f"distinct {estimate:,} vs exact {int(exact):,} ({err * 100:.2f}% error)")


if __name__ == "__main__":
    sys.exit(main())
