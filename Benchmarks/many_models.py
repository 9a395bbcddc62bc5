#!/usr/bin/env python3
"""Thousands of models in one daemon: `driftd replay` of 1M records spread over 1, 100, 1,000 and 10,000 models
(`driftd generate --rate 2000 --models m0,m1,…`, 1m and 5m windows), with records/s and peak RSS for each, and
`zstd -dc FILE | wc -l` on the same file measured in the same run.

    Benchmarks/many_models.py [--models 1 100 1000 10000] [--records 1000000] [--own-feature-names]
                              [--shape compact|realistic] [--workdir /tmp/driftd-bench]

With --own-feature-names each model names its 16 features after itself (`m7_amount`), as the models of a real fleet
name theirs differently: 16,000 feature names for 1,000 models. With --shape realistic the records are shaped like
a real service's (`driftd generate --shape realistic`: UUIDs, 17-digit doubles, nulls, numeric-looking strings, a
nested object; ~560 bytes a line).
"""
import argparse
import os
import subprocess
import sys
import time

from driftd_build import release_driftd


def write_config(workdir):
    """The config every many-models replay uses: windows 1m and 5m, room for 20,000 models."""
    config = os.path.join(workdir, "models.yaml")
    with open(config, "w") as f:
        f.write("inputs: [{path: unused}]\nwindows: [{size: 1m}, {size: 5m}]\nlimits: {max_models: 20000}\n")
    return config


def model_data(driftd, workdir, n, records, options=(), tag=""):
    """The file of `records` records spread over `n` models (`m0…`), generated once and kept in `workdir`."""
    data = os.path.join(workdir, f"models{tag}-{n}-{records}.jsonl.zst")
    if not os.path.exists(data):
        names = ",".join(f"m{i}" for i in range(n))
        subprocess.run([driftd, "generate", "--output", data, "--records", str(records), "--rate", "2000",
                        "--models", names, "--seed", "5"] + list(options), check=True, stderr=subprocess.DEVNULL)
    return data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, nargs="+", default=[1, 100, 1000, 10000])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--workdir", default="/tmp/driftd-bench")
    ap.add_argument("--own-feature-names", action="store_true")
    ap.add_argument("--shape", choices=["compact", "realistic"], default="compact")
    args = ap.parse_args()
    own = ["--own-feature-names"] if args.own_feature_names else []
    own += ["--shape", args.shape]
    tag = ("-own" if args.own_feature_names else "") + ("-real" if args.shape == "realistic" else "")
    driftd = release_driftd()
    os.makedirs(args.workdir, exist_ok=True)
    config = write_config(args.workdir)
    first = None
    for n in args.models:
        data = model_data(driftd, args.workdir, n, args.records, own, tag)
        started = time.monotonic()
        subprocess.run(f"zstd -dc {data} | wc -l", shell=True, check=True, capture_output=True)
        baseline = time.monotonic() - started
        out = os.path.join(args.workdir, f"models{tag}-metrics-{n}")
        subprocess.run(["rm", "-rf", out])
        started = time.monotonic()
        timed = subprocess.run(["/usr/bin/time", "-f", "%M", driftd, "replay", "--config", config, "--output-dir", out,
                                data], check=True, capture_output=True, text=True)
        seconds = time.monotonic() - started
        rss = int(timed.stderr.strip().splitlines()[-1]) / 1024
        rate = args.records / seconds
        first = first or rate
        print(f"{n:>6} models: {rate:>9,.0f} records/s ({rate / first * 100:5.1f}% of the first), peak RSS "
              f"{rss:7.1f} MiB, {seconds:5.2f} s; zstd -dc | wc -l {baseline:.2f} s: ratio {seconds / baseline:.2f}")


if __name__ == "__main__":
    sys.exit(main())
