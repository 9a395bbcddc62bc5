#!/usr/bin/env python3
"""Many writers of one model, merged by event time (DESIGN §2): `driftd replay` over W writer files of N records
each (their clocks a little apart, each rotated every N/4 lines) against one file of W×N records covering the same
event time. Reports for each: peak RSS, seconds, records late, and the throughput as a ratio to
`zstd -dc FILES | wc -l` over the same files, measured in the same run.

    Benchmarks/many_writers.py [--writers 8] [--records 1000000] [--workdir /tmp/driftd-bench]
"""
import argparse
import datetime
import glob
import os
import re
import subprocess
import sys
import time

from driftd_build import release_driftd


def timed(cmd, shell=False):
    started = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd if not shell else cmd, shell=shell, check=True,
                            capture_output=True, text=True)
    seconds = time.monotonic() - started
    rss = int(result.stderr.strip().splitlines()[-1]) if not shell else 0
    return seconds, rss / 1024, result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--rate", type=float, default=200, help="records per second of event time, per writer")
    ap.add_argument("--workdir", default="/tmp/driftd-bench")
    args = ap.parse_args()
    driftd = release_driftd()
    w, n = args.writers, args.records
    sets = {
        "writers": os.path.join(args.workdir, f"writers-{w}x{n}"),
        "one": os.path.join(args.workdir, f"one-{w * n}"),
    }
    start = datetime.datetime(2026, 11, 26, tzinfo=datetime.timezone.utc)
    if not os.path.isdir(sets["writers"]):
        os.makedirs(sets["writers"] + ".tmp", exist_ok=True)
        procs = []
        for i in range(w):
            # Clocks up to 2.1 s apart, as several processes on one host or pods on a few.
            skewed = start + datetime.timedelta(seconds=(i * 0.3) % 2.2)
            procs.append(subprocess.Popen([
                driftd, "generate", "--output", os.path.join(sets["writers"] + ".tmp", f"w{i}.jsonl.zst"),
                "--records", str(n), "--seed", str(100 + i), "--rate", str(args.rate),
                "--start", skewed.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "--rotate-every", str(n // 4)],
                stderr=subprocess.DEVNULL))
        for p in procs:
            assert p.wait() == 0
        os.rename(sets["writers"] + ".tmp", sets["writers"])
    if not os.path.isdir(sets["one"]):
        os.makedirs(sets["one"] + ".tmp", exist_ok=True)
        subprocess.run([driftd, "generate", "--output", os.path.join(sets["one"] + ".tmp", "all.jsonl.zst"),
                        "--records", str(w * n), "--seed", "100", "--rate", str(w * args.rate),
                        "--start", start.strftime("%Y-%m-%dT%H:%M:%SZ")], check=True, stderr=subprocess.DEVNULL)
        os.rename(sets["one"] + ".tmp", sets["one"])
    config = os.path.join(args.workdir, "writers.yaml")
    with open(config, "w") as f:
        f.write("inputs: [{path: unused}]\nwindows: [{size: 5m, allowed_lateness: 5s}]\n")
    rows = {}
    for name, directory in sets.items():
        files = sorted(glob.glob(os.path.join(directory, "*")))
        base_seconds, _, base = timed(f"zstd -dc {' '.join(files)} | wc -l", shell=True)
        out = os.path.join(args.workdir, f"writers-metrics-{name}")
        subprocess.run(["rm", "-rf", out])
        seconds, rss, result = timed([driftd, "replay", "--config", config, "--output-dir", out] + files)
        summary = result.stderr.strip().splitlines()[-2]
        late = int(re.search(r"(\d+) late", summary).group(1))
        records = int(re.search(r"(\d+) records", summary).group(1))
        rows[name] = rss
        print(f"{name:>8}: {len(files):3} files, {records:,} records ({base.stdout.strip()} lines), {late} late, "
              f"peak RSS {rss:7.1f} MiB, {seconds:6.1f} s; zstd -dc | wc -l {base_seconds:5.1f} s: "
              f"ratio {seconds / base_seconds:.2f}")
    print(f"peak RSS, {w} writers / one file: {rows['writers'] / rows['one']:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
