#!/usr/bin/env python3
"""Where the time of 1,000 models goes, by leaving work out: a build of this checkout with
Benchmarks/ablation.patch applied, which reads DRIFTD_ABLATION and leaves out

    1  the summaries, encoding and writing of closed windows (nothing is written),
    2  that and feeding coarser windows from finer ones (5m windows get nothing),
    3  that and adding values to accumulators (records are parsed and placed in windows, nothing more).

Each level of the 1,000-model replay is timed against the full 1-model replay, alternately, in the same run
(`driftd generate --rate 2000 --models m0,…`, 1m and 5m windows, as Benchmarks/many_models.py makes them).
The patched build is not driftd: its output is not meant to be read.

    Benchmarks/ablation.py [--runs 3] [--models 1000] [--workdir /tmp/driftd-bench]

The first run clones HEAD into WORKDIR/ablation and builds it in release (several minutes on 2 cores); later runs
reuse that build when HEAD has not moved.
"""
import argparse
import os
import statistics
import subprocess
import time

from driftd_build import release_driftd
from many_models import model_data, write_config

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEVELS = ["full", "no window output", "and no coarser windows fed", "and no values accumulated"]


def patched_build(workdir):
    clone = os.path.join(workdir, "ablation")
    head = subprocess.run(["git", "-C", REPO, "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()
    stamp = os.path.join(clone, ".ablation-head")
    binary = os.path.join(clone, ".build", "release", "driftd")
    if os.path.exists(stamp) and open(stamp).read() == head and os.path.exists(binary):
        return binary
    if not os.path.exists(clone):
        subprocess.run(["git", "clone", "-q", REPO, clone], check=True)
    subprocess.run(["git", "-C", clone, "fetch", "-q", REPO, head], check=True)
    subprocess.run(["git", "-C", clone, "checkout", "-q", "--force", head], check=True)
    subprocess.run(["git", "-C", clone, "apply", os.path.join(REPO, "Benchmarks", "ablation.patch")], check=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "driftd"], cwd=clone, check=True)
    with open(stamp, "w") as f:
        f.write(head)
    return binary


def replay(driftd, config, data, out, level):
    subprocess.run(["rm", "-rf", out])
    env = dict(os.environ, DRIFTD_ABLATION=str(level))
    started = time.monotonic()
    timed = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", driftd, "replay", "--config", config,
                            "--output-dir", out, data], check=True, capture_output=True, text=True, env=env)
    seconds = time.monotonic() - started
    user, system, rss = timed.stderr.strip().splitlines()[-1].split()
    return seconds, float(user) + float(system), int(rss) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--models", type=int, default=1000)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--workdir", default="/tmp/driftd-bench")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    driftd = release_driftd()
    patched = patched_build(args.workdir)
    config = write_config(args.workdir)
    data = {n: model_data(driftd, args.workdir, n, args.records) for n in (1, args.models)}
    out = os.path.join(args.workdir, "ablation-metrics")
    one, levels = [], {level: [] for level in range(4)}
    for _ in range(args.runs):
        one.append(replay(patched, config, data[1], out, 0))
        for level in range(4):
            levels[level].append(replay(patched, config, data[args.models], out, level))
    base = statistics.median(r[0] for r in one)
    print(f"1 model, full: {base:.2f} s, {statistics.median(r[1] for r in one):.2f} CPU-s, "
          f"peak RSS {max(r[2] for r in one):.1f} MiB (median of {args.runs})")
    for level in range(4):
        runs = levels[level]
        seconds = statistics.median(r[0] for r in runs)
        print(f"{args.models} models, {LEVELS[level]:<28} {seconds:5.2f} s ({base / seconds * 100:5.1f}% of the "
              f"1-model rate), {statistics.median(r[1] for r in runs):5.2f} CPU-s, peak RSS "
              f"{max(r[2] for r in runs):6.1f} MiB")


if __name__ == "__main__":
    main()
