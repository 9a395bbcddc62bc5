#!/usr/bin/env python3
"""The long cases of the hostile-input issue, on a release build: what once took gigabytes or never ended.

  models    100,000 single-record models in one replay (once 3 GB and 76 s): with the default limits
            (max_models 10,000: the rest rejected and counted) and with max_models raised to 100,000.
  features  400,000 distinct feature names in one model, then ten records a second for 100 minutes (once 2.5 GB,
            and every later one-record window re-reported all 400,002 lines).
  run       `driftd run` following a writer that uses a new model name for every record, 20,000 records/s
            (once 5.85 GB in 90 s, and still writing ten minutes after SIGTERM): peak RSS, and how long SIGTERM
            takes.

Each prints the wall time, driftd's peak RSS (from wait4) and what the output holds.

    scripts/hostile_scale.py [models|features|run ...] [--seconds 90] [--workdir /tmp/driftd-hostile]
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Benchmarks"))
from driftd_build import release_driftd  # noqa: E402

BASE = 1_795_687_200  # 2026-11-26T10:00:00Z


def measured(argv, **kwargs):
    """Runs argv; returns (exit status, seconds, peak RSS in MiB, stderr)."""
    started = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kwargs)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    return os.waitstatus_to_exitcode(status), time.monotonic() - started, usage.ru_maxrss / 1024, err


def config(workdir, name, extra=""):
    path = os.path.join(workdir, name + ".yaml")
    with open(path, "w") as f:
        f.write(f"inputs: [{{path: \"{workdir}/{name}-logs/*.jsonl\"}}]\n"
                f"windows: [{{size: 1m, allowed_lateness: 0s, idle_timeout: 5s}}]\n"
                f"output: {{dir: {workdir}/{name}-out}}\nstate_dir: {workdir}/{name}-state\n{extra}")
    return path


def window_lines(workdir, name):
    kinds = {}
    out = os.path.join(workdir, name + "-out", "metrics.jsonl")
    if os.path.exists(out):
        for line in open(out):
            k = json.loads(line)["kind"]
            kinds[k] = kinds.get(k, 0) + 1
    return kinds


def models(driftd, workdir, args):
    data = os.path.join(workdir, "models.jsonl")
    with open(data, "w") as f:
        for i in range(100_000):
            f.write(json.dumps({"ts": BASE + i % 3600, "model": f"model-{i}", "features": {"x": i, "c": "v"}}) + "\n")
    for name, extra in [("models-default", ""), ("models-raised", "limits: {max_models: 100000}\n")]:
        shutil.rmtree(os.path.join(workdir, name + "-out"), ignore_errors=True)
        c = config(workdir, name, extra)
        status, seconds, rss, err = measured([driftd, "replay", "--config", c, data])
        summary = [l for l in err.splitlines() if l.startswith("replay:")]
        print(f"{name}: exit {status}, {seconds:.1f} s, peak RSS {rss:.0f} MiB; {summary[-1] if summary else err[-300:]}")


def features(driftd, workdir, args):
    data = os.path.join(workdir, "features.jsonl")
    with open(data, "w") as f:
        for i in range(400_000):
            f.write(json.dumps({"ts": BASE + i // 10_000, "model": "m", "features": {f"f{i}": 1}}) + "\n")
        # Then 100 minutes of records of one feature, ten a second (read in batches of their own: a feature
        # dropped while the model is full is taken from the first batch after the others retire).
        for i in range(60_000):
            f.write(json.dumps({"ts": BASE + 60 + i / 10, "model": "m", "features": {"x": i}}) + "\n")
    shutil.rmtree(os.path.join(workdir, "features-out"), ignore_errors=True)
    c = config(workdir, "features")
    status, seconds, rss, err = measured([driftd, "replay", "--config", c, data])
    lines = [json.loads(l) for l in open(os.path.join(workdir, "features-out", "metrics.jsonl"))]
    windows = [l for l in lines if l["kind"] == "window"]
    per_window = [sum(1 for l in lines if l["kind"] == "feature" and l["window_start"] == w["window_start"]) for w in windows]
    print(f"features: exit {status}, {seconds:.1f} s, peak RSS {rss:.0f} MiB; {len(windows)} windows, feature lines "
          f"per window: first {per_window[0]}, largest {max(per_window)}, last {per_window[-1]}")


def run(driftd, workdir, args):
    name = "run"
    for d in ["-logs", "-out", "-state"]:
        shutil.rmtree(os.path.join(workdir, name + d), ignore_errors=True)
    os.makedirs(os.path.join(workdir, name + "-logs"))
    c = config(workdir, name)
    log = open(os.path.join(workdir, "run.log"), "w")
    p = subprocess.Popen([driftd, "run", "--config", c], stdout=subprocess.DEVNULL, stderr=log)
    stop = threading.Event()
    written = [0]

    def writer():
        path = os.path.join(workdir, name + "-logs", "attack.jsonl")
        with open(path, "a") as f:
            started = time.monotonic()
            while not stop.is_set():
                due = int((time.monotonic() - started) * args.rate)
                lines = []
                while written[0] < due:
                    lines.append(json.dumps({"ts": time.time(), "model": str(uuid.uuid4()), "features": {"x": 1}}))
                    written[0] += 1
                if lines:
                    f.write("\n".join(lines) + "\n")
                    f.flush()
                time.sleep(0.01)

    t = threading.Thread(target=writer)
    t.start()
    peak = 0
    samples = []
    started = time.monotonic()
    while time.monotonic() < started + args.seconds:
        with open(f"/proc/{p.pid}/status") as s:
            for line in s:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
                    peak = max(peak, rss)
                    if not samples or time.monotonic() - started >= 10 * len(samples):
                        samples.append(f"{rss:.0f}")
        time.sleep(1)
    print(f"run: RSS every 10 s (MiB): {' '.join(samples)}")
    stop.set()
    t.join()
    asked = time.monotonic()
    p.send_signal(signal.SIGTERM)
    status = p.wait()
    took = time.monotonic() - asked
    print(f"run: {written[0]:,} records of new models in {args.seconds} s ({args.rate}/s); peak RSS {peak:.0f} MiB "
          f"(sampled each second); SIGTERM → exit {status} in {took:.2f} s; metric lines {window_lines(workdir, name)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*", default=["models", "features", "run"])
    ap.add_argument("--seconds", type=int, default=90)
    ap.add_argument("--rate", type=int, default=20_000)
    ap.add_argument("--workdir", default="/tmp/driftd-hostile")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    driftd = release_driftd()
    for case in args.cases:
        {"models": models, "features": features, "run": run}[case](driftd, args.workdir, args)


if __name__ == "__main__":
    sys.exit(main())
