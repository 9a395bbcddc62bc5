#!/usr/bin/env python3
"""Exactly-once across kill -9, at length (DESIGN §8; the test suite's RunCrashTests runs a short version).

A writer (`driftd generate --pace`) appends zstd with block flushes and frame ends and rotates every
--rotate-every lines — by rename to names matching the glob, or (variant `replace`) by atomically replacing the
live file. Meanwhile `driftd run` is killed with SIGKILL after a random 0.1–--max-up seconds and restarted, again
and again. At the end a last run catches up and is stopped with SIGTERM; then `driftd replay` reads every file the
writer produced. Every window `run` wrote must equal replay's byte for byte; none may appear twice; every window
that the final watermark closed must be there.

With --writers N, N writer processes share the records (one file each, `app-wI.jsonl.zst`, their clocks up to
3.4 s apart): `run` merges them by event time, live and when catching up after each kill. Windows are then
compared by their counts (records, late, rejected) rather than byte for byte, since the order in which records of
several files meet — which sets a quantile sketch's exact state — depends on when each file was read.

    scripts/kill9_soak.py [--records 300000] [--pace 20000] [--variants rename replace] [--writers 1] [--seed 1]
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
        f.write('inputs: [{path: "logs/app*.jsonl.zst*"}]\n'
                "windows: [{size: 10s, allowed_lateness: 5s, idle_timeout: 1h}]\n"
                "output: {dir: run-metrics, max_bytes: 256KiB, keep: 100000}\nstate_dir: state\n")
    log = open(os.path.join(work, "run.log"), "w")
    n = args.writers
    writers = [subprocess.Popen([
        driftd, "generate", "--output", os.path.join(work, "logs", "app.jsonl.zst" if n == 1 else f"app-w{i}.jsonl.zst"),
        "--records", str(args.records // n), "--rate", str(1000 / n), "--pace", str(args.pace / n),
        "--start", f"2026-11-26T00:00:{(i * 0.7) % 3.4:06.3f}Z", "--rotate-every", str(args.rotate_every // n),
        "--rotate-mode", variant, "--frame-lines", "500", "--flush-every", "8", "--models", "a,b",
        "--seed", str(args.seed + i)], stderr=subprocess.DEVNULL) for i in range(n)]
    records = args.records // n * n
    kills = 0
    while any(w.poll() is None for w in writers):
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
    while (mtime(state) == before or checkpointed(state) < records) and time.monotonic() < deadline:
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
    if n == 1:
        mismatched = sum(1 for k, v in ran.items() if expected.get(k) != v)
    else:
        mismatched = sum(1 for k, v in ran.items() if k not in expected or counts(v[-1]) != counts(expected[k][-1]))
    late = sum(json.loads(v[-1])["late"] for v in ran.values())
    # Windows the final watermark closed: event time runs from 2026-11-26T00:00:00Z for records/1000 s, and the
    # watermark trails the newest record by the 5 s of allowed lateness.
    watermark = 1795651200 + (records // n - 1) / (1000 / n) - 5
    missing = [k for k in expected if calendar.timegm(time.strptime(k[2], "%Y-%m-%dT%H:%M:%SZ")) <= watermark - 0.1
               and k not in ran]
    print(f"{variant:8s} writers {n}  kills {kills:4d}  records {checkpointed(state):,} of {records:,}  windows "
          f"{len(ran)} (replay {len(expected)})  mismatched {mismatched}  duplicated {dup}  missing {len(missing)}"
          f"  late {late}  trailing lines {trailing}  files rolled {rolled}  SIGTERM → exit {code} in "
          f"{stop_seconds:.2f}s")
    return (mismatched == 0 and dup == 0 and not missing and late == 0 and code == 0
            and checkpointed(state) == records)


def counts(window_line):
    o = json.loads(window_line)
    return o["records"], o["late"], o.get("rejected")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=300_000)
    ap.add_argument("--pace", type=float, default=20_000)
    ap.add_argument("--rotate-every", type=int, default=20_000)
    ap.add_argument("--max-up", type=float, default=1.5)
    ap.add_argument("--variants", nargs="+", default=["rename", "replace"])
    ap.add_argument("--writers", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default="/tmp/driftd-soak")
    args = ap.parse_args()
    driftd = release_driftd()
    rng = random.Random(args.seed)
    ok = all([soak(driftd, v, args, rng) for v in args.variants])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
