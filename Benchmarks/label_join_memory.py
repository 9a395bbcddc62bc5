#!/usr/bin/env python3
"""What the label join holds per pending prediction (DESIGN §12), measured on the real pipeline.

Writes N predictions with UUID request ids over N/1000 seconds of event time (one model, a few realistic
features), and a labels file whose labels all come after every prediction (24h later), so that every prediction
waits in the join at once. Runs `driftd replay` with and without `labels:` under /usr/bin/time and reports both
peak RSS figures, their difference per pending prediction, and the wall-time ratio.

    Benchmarks/label_join_memory.py [--sizes 100000 1000000] [--workdir /tmp/driftd-bench]
"""
import argparse
import json
import os
import random
import subprocess
import uuid

from driftd_build import release_driftd

START = 1_795_651_200


def write_inputs(workdir, n):
    preds = os.path.join(workdir, f"join-preds-{n}.jsonl")
    labels = os.path.join(workdir, f"join-labels-{n}.jsonl")
    if os.path.exists(preds) and os.path.exists(labels):
        return preds, labels
    rng = random.Random(7)
    with open(preds, "w") as p, open(labels, "w") as l:
        for i in range(n):
            rid = str(uuid.UUID(int=rng.getrandbits(128)))
            score = rng.random()
            t = START + i / 1000
            p.write(json.dumps({"ts": round(t, 3), "model": "fraud", "request_id": rid,
                                "features": {"amount": rng.random() * 1000, "merchant": str(rng.randrange(5000)),
                                             "country": rng.choice(["FR", "DE", "US", None])},
                                "prediction": {"score": score, "label": int(score >= 0.5)}}) + "\n")
            if i % 100 == 0:  # a few labels, all after every prediction: nothing joins before the end
                l.write(json.dumps({"request_id": rid, "actual": int(rng.random() < score),
                                    "ts": START + n / 1000 + 86_000}) + "\n")
    return preds, labels


def replay(driftd, workdir, config, out):
    subprocess.run(["rm", "-rf", out])
    timed = subprocess.run(["/usr/bin/time", "-f", "%M %e", driftd, "replay", "--config", config, "--output-dir", out],
                           check=True, capture_output=True, text=True)
    rss_kib, seconds = timed.stderr.strip().splitlines()[-1].split()
    return int(rss_kib), float(seconds)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--workdir", default="/tmp/driftd-bench")
    args = ap.parse_args()
    driftd = release_driftd()
    os.makedirs(args.workdir, exist_ok=True)
    print("| pending predictions | peak RSS without labels | with labels | per pending prediction | wall (with / without) |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        preds, labels = write_inputs(args.workdir, n)
        rows = {}
        for joined in (False, True):
            config = os.path.join(args.workdir, f"join-{n}-{joined}.yaml")
            with open(config, "w") as f:
                f.write(f'inputs: [{{path: "{preds}"}}]\nwindows: [{{size: 5m}}]\n')
                f.write("schema: {request_id: request_id}\n")
                if joined:
                    f.write(f'labels: [{{path: "{labels}", max_delay: 24h}}]\n')
            rows[joined] = replay(driftd, args.workdir, config, os.path.join(args.workdir, f"join-out-{n}-{joined}"))
        without, with_ = rows[False], rows[True]
        per = (with_[0] - without[0]) * 1024 / n
        print(f"| {n:,} | {without[0] / 1024:.1f} MiB | {with_[0] / 1024:.1f} MiB | {per:.0f} bytes | "
              f"{with_[1]:.2f} s / {without[1]:.2f} s |")


if __name__ == "__main__":
    main()
