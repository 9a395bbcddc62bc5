#!/bin/bash
# `driftd run` catching up on a file already written (a restart after downtime): seconds until its checkpoint holds
# every record, peak RSS (GNU time), the size of its last checkpoint, and how many checkpoints it took (with the
# last one's duration, from the Prometheus textfile). Stopped with SIGTERM once caught up.
#
#   Benchmarks/run_catchup.sh DRIFTD FILE RECORDS
#   e.g. Benchmarks/run_catchup.sh .build/release/driftd /tmp/driftd-bench/models-1000-1000000.jsonl.zst 1000000
#   (the file: Benchmarks/many_models.py --models 1000); WRAP="heaptrack -o /tmp/ht-run" runs it under heaptrack
set -euo pipefail
driftd=$1 file=$2 records=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/driftd.yaml" <<EOC
inputs: [{path: "$file"}]
windows: [{size: 1m}, {size: 5m}]
limits: {max_models: 20000}
output: {dir: $work/out, keep: 1000, prometheus_textfile: $work/driftd.prom}
state_dir: $work/state
EOC
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/time" ${WRAP:-} "$driftd" run --config "$work/driftd.yaml" 2>/dev/null &
timer=$!
until python3 - "$work/state/checkpoint.json" "$records" <<'EOP'
import json, sys
try:
    done = json.load(open(sys.argv[1]))["aggregator"]["records"] >= int(sys.argv[2])
except (OSError, ValueError, KeyError):
    done = False
sys.exit(0 if done else 1)
EOP
do sleep 0.5; done
end=$(date +%s.%N)
pkill -TERM -P "$timer"
wait "$timer" || true
printf '%s: caught up in %.1f s, peak RSS %d MiB, checkpoint %.1f MB\n' "$driftd" "$(echo "$end - $start" | bc)" \
  "$(($(tail -1 "$work/time") / 1024))" "$(echo "$(stat -c %s "$work/state/checkpoint.json") / 1000000" | bc -l)"
grep -E '^driftd_(checkpoints_total|last_checkpoint_duration_seconds) ' "$work/driftd.prom" || true
