#!/usr/bin/env python3
"""Exactly-once across kill -9, at length (DESIGN §8; the test suite's RunCrashTests runs a short version).

A writer (`driftd generate --pace`) appends zstd with block flushes and frame ends and rotates every
--rotate-every lines — by rename to names matching the glob, or (variant `replace`) by atomically replacing the
live file. Meanwhile `driftd run` is killed with SIGKILL after a random 0.1–--max-up seconds and restarted, again
and again. At the end a last run catches up and is stopped with SIGTERM; then `driftd replay` reads every file the
writer produced. Every window `run` wrote must equal replay's byte for byte; none may appear twice; every window
that the final watermark closed must be there.

    scripts/kill9_soak.py [--records 300000] [--pace 20000] [--variants rename replace] [--seed 1]
"""
import argparse
import calendar
import glob
import json
import os
import random
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
from driftd_build import release_driftd  # noqa: E402


def checkpointed(state):
    try:
        with open(os.path.join(state, "checkpoint.json")) as f:
            return json.load(f)["aggregator"]["records"]
    except (OSError, ValueError, KeyError):
        return 0


def mtime(state):
    try:
        return os.stat(os.path.join(state, "checkpoint.json")).st_mtime_ns
    except OSError:
        return None


def windows(directory):
    """Window (model, start, end) → its lines, over the directory's metric files in the order they were written
    (the live file rolls); the number of windows written twice; lines after the last window."""
    result, pending, duplicates = {}, [], 0
    files = sorted(glob.glob(os.path.join(directory, "metrics*.jsonl")),
                   key=lambda p: (os.stat(p).st_mtime_ns, p.endswith("metrics.jsonl")))
    for path in files:
      with open(path) as f:
        for line in f:
            if '"kind":"self"' in line:
                continue
            pending.append(line)
            if '"kind":"window"' in line:
                o = json.loads(line)
                key = (o["model"], o["window_start"], o["window_end"])
                duplicates += key in result
                result[key] = pending
                pending = []
    return result, duplicates, len(pending)


def soak(driftd, variant, args, rng):
    work = os.path.join(args.workdir, variant)
    subprocess.run(["rm", "-rf", work], check=True)
    os.makedirs(os.path.join(work, "logs"))
    config = os.path.join(work, "driftd.yaml")
    with open(config, "w") as f:
        f.write('inputs: [{path: "logs/app.jsonl.zst*"}]\n'
                "windows: [{size: 10s, allowed_lateness: 5s, idle_timeout: 1h}]\n"
                "output: {dir: run-metrics, max_bytes: 256KiB, keep: 100000}\nstate_dir: state\n")
    log = open(os.path.join(work, "run.log"), "w")
    writer = subprocess.Popen([
        driftd, "generate", "--output", os.path.join(work, "logs", "app.jsonl.zst"), "--records", str(args.records),
        "--rate", "1000", "--pace", str(args.pace), "--rotate-every", str(args.rotate_every), "--rotate-mode", variant,
        "--frame-lines", "500", "--flush-every", "8", "--models", "a,b", "--seed", str(args.seed)],
        stderr=subprocess.DEVNULL)
    kills = 0
    while writer.poll() is None:
        run = subprocess.Popen([driftd, "run", "--config", config], stdout=subprocess.DEVNULL, stderr=log)
        time.sleep(rng.uniform(0.1, args.max_up))
        run.send_signal(signal.SIGKILL)
        run.wait()
        kills += 1
    state = os.path.join(work, "state")
    before = mtime(state)
    run = subprocess.Popen([driftd, "run", "--config", config], stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 120
    # Caught up, by a checkpoint this run wrote (so its signal handlers are in place).
    while (mtime(state) == before or checkpointed(state) < args.records) and time.monotonic() < deadline:
        time.sleep(0.2)
    stop_asked = time.monotonic()
    run.send_signal(signal.SIGTERM)
    code = run.wait()
    stop_seconds = time.monotonic() - stop_asked
    files = glob.glob(os.path.join(work, "logs", "*"))
    subprocess.run([driftd, "replay", "--config", config, "--output-dir", os.path.join(work, "replay-metrics")] + files,
                   check=True, stderr=subprocess.DEVNULL)
    ran, dup, trailing = windows(os.path.join(work, "run-metrics"))
    expected, _, _ = windows(os.path.join(work, "replay-metrics"))
    rolled = len(glob.glob(os.path.join(work, "run-metrics", "metrics-*.jsonl")))
    mismatched = sum(1 for k, v in ran.items() if expected.get(k) != v)
    # Windows the final watermark closed: event time runs from 2026-11-26T00:00:00Z for records/1000 s, and the
    # watermark trails the newest record by the 5 s of allowed lateness.
    watermark = 1795651200 + (args.records - 1) / 1000 - 5
    missing = [k for k in expected if calendar.timegm(time.strptime(k[2], "%Y-%m-%dT%H:%M:%SZ")) <= watermark - 0.1
               and k not in ran]
    print(f"{variant:8s} kills {kills:4d}  records {checkpointed(state):,} of {args.records:,}  windows {len(ran)}"
          f" (replay {len(expected)})  mismatched {mismatched}  duplicated {dup}  missing {len(missing)}"
          f"  trailing lines {trailing}  files rolled {rolled}  SIGTERM → exit {code} in {stop_seconds:.2f}s")
    return mismatched == 0 and dup == 0 and not missing and code == 0 and checkpointed(state) == args.records


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=300_000)
    ap.add_argument("--pace", type=float, default=20_000)
    ap.add_argument("--rotate-every", type=int, default=20_000)
    ap.add_argument("--max-up", type=float, default=1.5)
    ap.add_argument("--variants", nargs="+", default=["rename", "replace"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default="/tmp/driftd-soak")
    args = ap.parse_args()
    driftd = release_driftd()
    rng = random.Random(args.seed)
    ok = all([soak(driftd, v, args, rng) for v in args.variants])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
