#!/usr/bin/env python3
"""driftd replay against `zstd -dc FILE | wc -l` on the same file, in the same run.

Builds driftd in release mode, generates N records with the committed generator (fixed seed), then runs the
baseline and driftd alternately and prints the median wall times, their ratio, records/s, MB/s of decompressed
JSON and driftd's peak RSS. The machines are shared and noisy: the ratio is the figure to compare.

    Benchmarks/replay_vs_zstd.py [--shape compact|realistic|both] [--records 1000000] [--runs 5]
                                 [--workdir /tmp/driftd-bench]

The realistic shape (`driftd generate --shape realistic`) is a real service's log: UUIDs, 17-digit doubles, nulls,
numeric-looking strings, an object driftd skips. `both` measures the two shapes one after the other.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

from driftd_build import release_driftd


def timed(cmd, shell=False):
    """Wall seconds of one command."""
    start = time.monotonic()
    subprocess.run(cmd, shell=shell, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def peak_rss_kib(cmd):
    """Peak resident set size of one run, from GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True).stderr.strip().splitlines()[-1]
    return int(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default="/tmp/driftd-bench")
    ap.add_argument("--shape", choices=["compact", "realistic", "both"], default="compact")
    args = ap.parse_args()

    driftd = release_driftd()
    os.makedirs(args.workdir, exist_ok=True)
    for shape in (["compact", "realistic"] if args.shape == "both" else [args.shape]):
        measure(driftd, args, shape)


def measure(driftd, args, shape):
    prefix = "bench" if shape == "compact" else "real"  # the compact file keeps the name it always had
    data = os.path.join(args.workdir, f"{prefix}-{args.records}-{args.seed}.jsonl.zst")
    if not os.path.exists(data):
        subprocess.run([driftd, "generate", "--output", data, "--records", str(args.records), "--seed",
                        str(args.seed), "--level", "3", "--shape", shape], check=True, stderr=subprocess.DEVNULL)
    config = os.path.join(args.workdir, "bench.yaml")
    with open(config, "w") as f:
        f.write("inputs:\n  - path: unused\nwindows:\n  - size: 5m\n")
    out_dir = os.path.join(args.workdir, "metrics")
    decompressed = int(subprocess.run(f"zstd -dc {data} | wc -c", shell=True, check=True, capture_output=True,
                                      text=True).stdout)

    baseline, replay = [], []
    for _ in range(args.runs):
        baseline.append(timed(f"zstd -dc {data} | wc -l", shell=True))
        subprocess.run(["rm", "-rf", out_dir])
        replay.append(timed([driftd, "replay", "--config", config, "--output-dir", out_dir, data]))
    subprocess.run(["rm", "-rf", out_dir])
    rss = peak_rss_kib([driftd, "replay", "--config", config, "--output-dir", out_dir, data])

    b = statistics.median(baseline)
    r = statistics.median(replay)
    print(f"shape: {shape}")
    print(f"file: {data} ({os.path.getsize(data) / 1e6:.1f} MB zstd, {decompressed / 1e6:.1f} MB JSON, "
          f"{args.records} records)")
    print(f"zstd -dc | wc -l   median {b:.3f} s  runs {' '.join(f'{x:.3f}' for x in baseline)}")
    print(f"driftd replay      median {r:.3f} s  runs {' '.join(f'{x:.3f}' for x in replay)}")
    print(f"ratio replay/zstd  {r / b:.2f}")
    print(f"throughput         {args.records / r:,.0f} records/s, {decompressed / r / 1e6:.1f} MB/s of JSON")
    print(f"peak RSS           {rss / 1024:.1f} MiB")


if __name__ == "__main__":
    sys.exit(main())
