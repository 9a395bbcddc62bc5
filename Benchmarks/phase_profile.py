#!/usr/bin/env python3
"""Where replay's CPU goes, by stage, for 1 model and for N: `perf record -e cpu-clock -g` of `driftd replay` on the
many-models files (Benchmarks/many_models.py makes them), each sample put in the first stage whose function is on
its stack, in CPU-seconds. The difference between the runs is what the number of models costs, stage by stage.

    Benchmarks/phase_profile.py [--models 1 1000] [--records 1000000] [--workdir /tmp/driftd-bench]

The stages, in the order a sample is tried against them: the windows' summaries (the drift stage), merging a
closed 1m window into its 5m window (`feed`), taking a closed window's features from the shards (`take`), the rest
of a window's close, adding values to the features on the shards, writing the metric file (the output thread),
parsing, the rest of the aggregating loop (placing records in windows), closing the windows at the end, and zstd.
`other` is what has no such frame on its stack: glibc's malloc and free (built without frame pointers, their
stacks stop at their own frames), the kernel, the input thread's reads. Needs `perf` (Linux), no hardware counters.
"""
import argparse
import collections
import os
import subprocess
import sys
import tempfile

from driftd_build import release_driftd
from many_models import model_data, write_config

# (stage, a substring of the mangled Swift symbol) — a sample goes to the first stage found on its stack.
STAGES = [
    ("summaries", "0A5StageV6report"),
    ("feed", "ModelWindowsV4feed"),
    ("take", "FeatureShardsC8features"),
    ("close (rest)", "ModelWindowsV6report"),
    ("shards", "FeatureShardsC3add"),
    ("output", "ReplayOutput"),
    ("parse", "BatchParserV5parse"),
    ("ingest (rest)", "AggregatorV6ingest"),
    ("closeAll", "AggregatorV8closeAll"),
    ("zstd", "Zstd"),
]
MALLOC = ("malloc", "_int_free", "unlink_chunk", "cfree", "malloc_consolidate", "sysmalloc", "__malloc_usable_size")


def stacks(perf_data):
    """Each sample's stack (innermost frame first), from `perf script`."""
    text = subprocess.run(["perf", "script", "-i", perf_data, "-F", "tid,ip,sym"], check=True,
                          capture_output=True, text=True).stdout
    frames = None
    for line in text.splitlines():
        if not line.strip():
            if frames is not None:
                yield frames
            frames = None
        elif not line.startswith("\t"):
            frames = []
        elif frames is not None:
            parts = line.strip().split(None, 1)
            frames.append(parts[1] if len(parts) > 1 else parts[0])
    if frames is not None:
        yield frames


def stage_of(frames):
    for stage, pattern in STAGES:
        if any(pattern in f for f in frames):
            return stage
    if frames and frames[0].startswith(MALLOC):
        return "other: malloc/free"
    if any(f.startswith(("entry_SYSCALL", "asm_", "ret_from_fork")) for f in frames):
        return "other: kernel"
    return "other"


def profile(driftd, config, data, hz):
    """CPU-seconds by stage, the wall time and the total, for one replay of `data`."""
    with tempfile.TemporaryDirectory() as out:
        perf_data = os.path.join(out, "perf.data")
        result = subprocess.run(["perf", "record", "-e", "cpu-clock", "-F", str(hz), "-g", "-o", perf_data, "--",
                                 driftd, "replay", "--config", config, "--output-dir", os.path.join(out, "m"), data],
                                check=True, capture_output=True, text=True)
        counts = collections.Counter(stage_of(s) for s in stacks(perf_data))
    summary = [l for l in result.stderr.splitlines() if l.startswith("replay:")]
    return {k: v / hz for k, v in counts.items()}, summary[-1] if summary else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, nargs="+", default=[1, 1000])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--workdir", default="/tmp/driftd-bench")
    ap.add_argument("--hz", type=int, default=999)
    args = ap.parse_args()
    driftd = release_driftd()
    os.makedirs(args.workdir, exist_ok=True)
    config = write_config(args.workdir)
    runs = []
    for n in args.models:
        data = model_data(driftd, args.workdir, n, args.records, ["--shape", "compact"], "")
        seconds, summary = profile(driftd, config, data, args.hz)
        print(f"{n} models: {summary}", file=sys.stderr)
        runs.append((n, seconds))
    names = [s for s, _ in STAGES] + ["other: malloc/free", "other: kernel", "other"]
    header = "| stage | " + " | ".join(f"{n} models" for n, _ in runs)
    header += " | difference |" if len(runs) == 2 else " |"
    print(header)
    print("|---" * (len(runs) + 1 + (len(runs) == 2)) + "|")
    for name in names + ["total"]:
        values = [sum(s.values()) if name == "total" else s.get(name, 0.0) for _, s in runs]
        row = f"| {name} | " + " | ".join(f"{v:.2f}" for v in values)
        row += f" | {values[1] - values[0]:+.2f} |" if len(runs) == 2 else " |"
        print(row)
    print("\nCPU-seconds (perf cpu-clock samples / rate).")


if __name__ == "__main__":
    main()
