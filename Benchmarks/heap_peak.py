#!/usr/bin/env python3
"""Where the peak heap of a driftd run is: heaptrack's record of it, summed by the deepest driftd frame of each
allocation (the allocation site in our code), largest first.

    heaptrack -o /tmp/ht .build/release/driftd replay --config CONFIG FILE
    Benchmarks/heap_peak.py /tmp/ht.zst [--top 20]

Needs `heaptrack` and `heaptrack_print` (Debian's heaptrack package).
"""
import argparse
import collections
import subprocess
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("record", help="heaptrack's output (.zst or .gz)")
    ap.add_argument("--top", type=int, default=20)
    args = ap.parse_args()
    with tempfile.NamedTemporaryFile(suffix=".fg") as fg:
        subprocess.run(["heaptrack_print", "-f", args.record, "--print-flamegraph", fg.name,
                        "--flamegraph-cost-type", "peak"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        sites = collections.Counter()
        total = 0
        for line in open(fg.name):
            stack, _, cost = line.rstrip().rpartition(" ")
            frames = [f for f in stack.split(";") if "Drift" in f or "driftd" in f]
            # An array's growth is named by the code that grew it, one frame further out.
            while len(frames) > 1 and ("ContiguousArray" in frames[-1] or "reserveCapacity" in frames[-1]
                                       or "Sa6append" in frames[-1]):
                frames.pop()
            sites[frames[-1][:110] if frames else "(outside driftd)"] += int(cost)
            total += int(cost)
    print(f"peak heap {total / 2**20:.1f} MiB")
    for site, cost in sites.most_common(args.top):
        print(f"{cost / 2**20:8.1f} MiB  {site}")


if __name__ == "__main__":
    main()
