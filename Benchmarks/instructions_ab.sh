#!/bin/bash
# Two (or more) builds of driftd compared by the instructions they execute (valgrind's callgrind, every thread
# counted) on one `driftd replay`: a count the shared machine's noise does not move, for changes too small to tell
# from wall times (Benchmarks/ab_replay.sh). Also checks that the builds wrote the same metric file.
#
#   Benchmarks/instructions_ab.sh CONFIG FILE DRIFTD_A DRIFTD_B [...]
#
# Under valgrind a replay runs ~50x slower: use a file of ~200k records (driftd generate --records 200000 …).
# The binaries are stripped first: valgrind 3.19 cannot read the DWARF 5 of Swift 6's debug info.
set -euo pipefail
config=$1 file=$2
shift 2
command -v valgrind >/dev/null || { echo "instructions_ab: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
i=0
for driftd in "$@"; do
  i=$((i + 1))
  strip -o "$out/driftd-$i" "$driftd"
  valgrind --tool=callgrind --callgrind-out-file="$out/cg-$i" "$out/driftd-$i" replay --config "$config" \
    --output-dir "$out/metrics-$i" "$file" >"$out/log-$i" 2>&1 &
done
wait
first=""
i=0
for driftd in "$@"; do
  i=$((i + 1))
  refs=$(grep -o 'Collected : [0-9]*' "$out/log-$i" | grep -o '[0-9]*$' || true)
  if [ -z "$refs" ]; then
    echo "instructions_ab: valgrind gave no count for $driftd:" >&2
    tail -5 "$out/log-$i" >&2
    exit 1
  fi
  same=""
  if [ -n "$first" ]; then
    cmp -s "$out/metrics-1/metrics.jsonl" "$out/metrics-$i/metrics.jsonl" && same="same metric file" \
      || same="METRIC FILE DIFFERS"
    echo "$driftd $refs instructions ($(python3 -c "print(f'{($refs / $first - 1) * 100:+.2f}%')") vs the first), $same"
  else
    first=$refs
    echo "$driftd $refs instructions"
  fi
done
