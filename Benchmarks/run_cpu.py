#!/usr/bin/env python3
"""CPU used by `driftd run`: idle (nothing being written), and following a live writer at a given rate.

Reads utime + stime of the driftd process from /proc/PID/stat before and after each phase; reports the share of
one core. The writer is `driftd generate --pace RATE` (zstd, block flush every 8 lines, frame every 1000, rotation
every 200k lines by rename), a separate process whose own CPU is not counted.

    Benchmarks/run_cpu.py [--idle-seconds 30] [--rate 50000] [--seconds 20]
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

from driftd_build import release_driftd
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def records(state):
    try:
        with open(os.path.join(state, "checkpoint.json")) as f:
            return json.load(f)["aggregator"]["records"]
    except (OSError, ValueError, KeyError):
        return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idle-seconds", type=float, default=30)
    ap.add_argument("--rate", type=int, default=50_000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workdir", default="/tmp/driftd-cpu")
    args = ap.parse_args()
    driftd = release_driftd()
    subprocess.run(["rm", "-rf", args.workdir], check=True)
    os.makedirs(os.path.join(args.workdir, "logs"))
    config = os.path.join(args.workdir, "driftd.yaml")
    with open(config, "w") as f:
        f.write('inputs: [{path: "logs/*.jsonl.zst*"}]\nwindows: [{size: 5m}]\n'
                "output: {dir: metrics}\nstate_dir: state\n")
    state = os.path.join(args.workdir, "state")
    live = os.path.join(args.workdir, "logs", "app.jsonl.zst")
    subprocess.run([driftd, "generate", "--output", live, "--records", "10000", "--seed", "1"], check=True,
                   stderr=subprocess.DEVNULL)
    run = subprocess.Popen([driftd, "run", "--config", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while records(state) < 10_000:
        time.sleep(0.2)
    time.sleep(2)
    start = cpu_seconds(run.pid)
    time.sleep(args.idle_seconds)
    idle = (cpu_seconds(run.pid) - start) / args.idle_seconds
    print(f"idle: {idle * 100:.3f}% of one core over {args.idle_seconds:.0f} s")

    n = int(args.rate * args.seconds)
    start = cpu_seconds(run.pid)
    began = time.monotonic()
    writer = subprocess.run([driftd, "generate", "--output", os.path.join(args.workdir, "logs", "live.jsonl.zst"),
                             "--records", str(n), "--seed", "2",
                             "--pace", str(args.rate), "--rotate-every", "200000", "--start",
                             "2026-11-26T01:00:00Z"], check=True, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - began
    busy = (cpu_seconds(run.pid) - start) / wall
    while records(state) < 10_000 + n:  # the rest of the backlog, if any, is not counted
        time.sleep(0.2)
    print(f"following a writer at {n / wall:,.0f} records/s for {wall:.1f} s: {busy * 100:.1f}% of one core")
    run.send_signal(signal.SIGTERM)
    run.wait()


if __name__ == "__main__":
    sys.exit(main())
