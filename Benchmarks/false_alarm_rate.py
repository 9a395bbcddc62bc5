#!/usr/bin/env python3
"""How often the default thresholds flag drift when there is none (and how often they catch it when there is).

For each seed pair: a reference of N records (seed s) and a live file (seed s+1000) from the same generator,
`driftd baseline` on the first, `driftd replay` of the second against it, with windows holding about
--window-records records. Counts (window, feature) pairs of windows with >= 1000 records whose drift crosses a
default threshold (PSI >= 0.1, JS >= 0.1, normed Wasserstein >= 0.1, chi-square p < 0.05 under 1000 records).
With --drift, the live file drifts half-way and the rate is reported for the drifted and the stable features.

    Benchmarks/false_alarm_rate.py [--seeds 5] [--window-records 1000] [--drift]
"""
import argparse
import json
import os
import subprocess
import sys

from driftd_build import release_driftd
DRIFTED = {"amount", "score_b", "country"}
# The prediction and the actual depend on amount and score_b, so they drift with them; channel drifts in its
# missing rate (a data-quality rule, not these measures). After the drift only the other features count as stable.
MOVES_WITH_DRIFT = DRIFTED | {"channel", "prediction.score", "prediction.label", "actual"}


def crossed(d, records):
    return (d.get("psi", 0) >= 0.1 or d.get("js", 0) >= 0.1 or d.get("wasserstein_norm", 0) >= 0.1
            or (records < 1000 and d.get("chi2_p", 1) < 0.05))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--records", type=int, default=60_000)
    ap.add_argument("--window-records", type=int, default=1000)
    ap.add_argument("--drift", action="store_true")
    ap.add_argument("--min-records", type=int, default=1000, help="count windows with at least this many records")
    ap.add_argument("--workdir", default="/tmp/driftd-false-alarms")
    args = ap.parse_args()
    driftd = release_driftd()
    os.makedirs(args.workdir, exist_ok=True)
    rate = 100
    window_seconds = max(1, round(args.window_records * 1.1 / rate))
    config = os.path.join(args.workdir, "c.yaml")
    with open(config, "w") as f:
        f.write(f"inputs:\n  - path: x\nwindows:\n  - size: {window_seconds}s\n    allowed_lateness: 5s\n"
                f"    min_count: {args.min_records}\nreference: ref.json\n")
    pairs = flagged = drifted_pairs = drifted_flagged = 0
    for seed in range(1, args.seeds + 1):
        ref = os.path.join(args.workdir, "ref.jsonl.zst")
        live = os.path.join(args.workdir, "live.jsonl.zst")
        quiet = dict(stderr=subprocess.DEVNULL, check=True)
        subprocess.run([driftd, "generate", "--output", ref, "--records", str(args.records), "--seed", str(seed),
                        "--rate", str(rate)], **quiet)
        live_args = [driftd, "generate", "--output", live, "--records", str(args.records), "--seed",
                     str(seed + 1000), "--rate", str(rate)]
        if args.drift:
            live_args += ["--drift-after", str(args.records // 2)]
        subprocess.run(live_args, **quiet)
        subprocess.run([driftd, "baseline", "--config", config, "--output", os.path.join(args.workdir, "ref.json"), ref],
                       **quiet)
        out = os.path.join(args.workdir, "metrics")
        subprocess.run(["rm", "-rf", out])
        subprocess.run([driftd, "replay", "--config", config, "--output-dir", out, live], **quiet)
        rows = [json.loads(l) for l in open(os.path.join(out, "metrics.jsonl"))]
        records = {r["window_start"]: r["records"] for r in rows if r["kind"] == "window"}
        starts = sorted(records)
        # The drift starts at record N/2, inside window len/2: that window is mixed and left out.
        transition = starts[len(starts) // 2] if args.drift else None
        for r in rows:
            if r["kind"] != "feature" or "drift" not in r or records[r["window_start"]] < args.min_records:
                continue
            hit = crossed(r["drift"], records[r["window_start"]])
            if args.drift and r["window_start"] >= transition and r["feature"] in MOVES_WITH_DRIFT:
                if r["feature"] in DRIFTED and r["window_start"] > transition:
                    drifted_pairs += 1
                    drifted_flagged += hit
                continue
            pairs += 1
            flagged += hit
    print(f"windows of ~{args.window_records} records ({window_seconds}s at {rate}/s, counted from "
          f"{args.min_records}), {args.seeds} seed pairs")
    print(f"same distribution: {flagged} of {pairs} (window, feature) pairs flagged = {100 * flagged / pairs:.2f}%")
    if args.drift:
        print(f"drifted features after the drift: {drifted_flagged} of {drifted_pairs} flagged = "
              f"{100 * drifted_flagged / max(drifted_pairs, 1):.1f}%")


if __name__ == "__main__":
    sys.exit(main())
