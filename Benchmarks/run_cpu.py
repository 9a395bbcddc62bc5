#!/usr/bin/env python3
"""CPU used by `driftd run`: idle (nothing being written), and following a live writer at a given rate.

Reads utime + stime of the driftd process from /proc/PID/stat before and after each phase; reports the share of
one core. The writer is `driftd generate --pace RATE` (zstd, block flush every 8 lines, frame every 1000, rotation
every 200k lines by rename), a separate process whose own CPU is not counted.

    Benchmarks/run_cpu.py [--idle-seconds 30] [--rate 50000] [--seconds 20]
    Benchmarks/run_cpu.py --models 1000 --windows 1m,5m --rate 2000 --seconds 120 --idle-seconds 0

With --models, a fleet: the records go to that many models, with event time moving as fast as the wall clock
(`--rate` records per second of both), so windows close as they would in production and the checkpoint holds
every model's open windows. The report then adds the checkpoints taken, the last one's size and duration.
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
    ap.add_argument("--models", type=int, default=0, help="a fleet of this many models (event time at wall speed)")
    ap.add_argument("--windows", default="5m")
    args = ap.parse_args()
    driftd = release_driftd()
    subprocess.run(["rm", "-rf", args.workdir], check=True)
    os.makedirs(os.path.join(args.workdir, "logs"))
    config = os.path.join(args.workdir, "driftd.yaml")
    with open(config, "w") as f:
        windows = ", ".join(f"{{size: {w}}}" for w in args.windows.split(","))
        f.write(f'inputs: [{{path: "logs/*.jsonl.zst*"}}]\nwindows: [{windows}]\nlimits: {{max_models: 20000}}\n'
                "output: {dir: metrics, prometheus_textfile: driftd.prom}\nstate_dir: state\n")
    fleet = []
    if args.models:
        fleet = ["--models", ",".join(f"m{i}" for i in range(args.models)), "--rate", str(args.rate)]

    def since(seconds_ago):
        return ["--start", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - seconds_ago))]
    state = os.path.join(args.workdir, "state")
    live = os.path.join(args.workdir, "logs", "app.jsonl.zst")
    subprocess.run([driftd, "generate", "--output", live, "--records", "10000", "--seed", "1"]
                   + (fleet + since(10_000 / args.rate) if fleet else []), check=True, stderr=subprocess.DEVNULL)
    run = subprocess.Popen([driftd, "run", "--config", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while records(state) < 10_000:
        time.sleep(0.2)
    time.sleep(2)
    if args.idle_seconds > 0:
        start = cpu_seconds(run.pid)
        time.sleep(args.idle_seconds)
        idle = (cpu_seconds(run.pid) - start) / args.idle_seconds
        print(f"idle: {idle * 100:.3f}% of one core over {args.idle_seconds:.0f} s")

    n = int(args.rate * args.seconds)
    start = cpu_seconds(run.pid)
    began = time.monotonic()
    writer = subprocess.run([driftd, "generate", "--output", os.path.join(args.workdir, "logs", "live.jsonl.zst"),
                             "--records", str(n), "--seed", "2",
                             "--pace", str(args.rate), "--rotate-every", "200000"]
                            + (fleet + since(0) if fleet else ["--start", "2026-11-26T01:00:00Z"]), check=True,
                            stderr=subprocess.DEVNULL)
    wall = time.monotonic() - began
    busy = (cpu_seconds(run.pid) - start) / wall
    while records(state) < 10_000 + n:  # the rest of the backlog, if any, is not counted
        time.sleep(0.2)
    print(f"following a writer at {n / wall:,.0f} records/s for {wall:.1f} s: {busy * 100:.1f}% of one core")
    if args.models:
        prom = dict(line.split() for line in open(os.path.join(args.workdir, "driftd.prom"))
                    if line.startswith("driftd_") and " " in line and "{" not in line)
        print(f"checkpoints: {prom.get('driftd_checkpoints_total')}, the last "
              f"{float(prom.get('driftd_last_checkpoint_duration_seconds', 'nan')):.2f} s and "
              f"{os.path.getsize(os.path.join(state, 'checkpoint.json')) / 1e6:.1f} MB")
    run.send_signal(signal.SIGTERM)
    run.wait()


if __name__ == "__main__":
    sys.exit(main())
