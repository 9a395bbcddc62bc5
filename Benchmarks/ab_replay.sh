#!/bin/bash
# Two (or more) builds of driftd against each other: `driftd replay` of one file, the builds alternating, N rounds;
# prints each run's wall seconds and peak RSS (GNU time), sorted by build. Alternating runs are how a change is
# told from this shared machine's noise.
#
#   Benchmarks/ab_replay.sh CONFIG FILE N DRIFTD_A DRIFTD_B [...]
#   (the build before a change: git worktree add /tmp/wt-base HEAD~1 && (cd /tmp/wt-base && swift build -c release))
set -euo pipefail
config=$1 file=$2 rounds=$3
shift 3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in $(seq 1 "$rounds"); do
  for driftd in "$@"; do
    rm -rf "$out/metrics"
    /usr/bin/time -f "$driftd %e s %M KiB" "$driftd" replay --config "$config" --output-dir "$out/metrics" "$file" \
      2>&1 >/dev/null | tail -1
  done
done | sort
