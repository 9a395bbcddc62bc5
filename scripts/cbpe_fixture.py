#!/usr/bin/env python3
"""NannyML's own CBPE estimates, for checking driftd's estimated performance (DESIGN §12) against them.

    pip install nannyml==0.13.1 statsmodels      # not needed by the tests, which read the committed files
    scripts/cbpe_fixture.py [--out Tests/DriftPipelineTests/Fixtures/cbpe]

Generates a binary classifier's logs with a fixed seed: scores that are not calibrated (P(y = 1 | s) = s^2, so
NannyML calibrates them, as driftd always does), predicted label = score >= 0.5, and an analysis period whose
score distribution shifts hour by hour (covariate shift, no concept drift: what CBPE assumes). Writes
  reference.jsonl.zst  — 20,000 labeled records (`actual` 0/1), for `driftd baseline`
  analysis.jsonl.zst   — 12 hours of 2,000 unlabeled records each, for `driftd replay`
  expected.json        — per hour (chunk_period="h"): NannyML CBPE's estimated accuracy, precision, recall, F1 and
                         ROC AUC, the realized ones (from labels the logs do not carry), and needs_calibration.
"""
import argparse
import json
import os
import subprocess

import numpy as np
import pandas as pd
os.environ["NML_DISABLE_USAGE_LOGGING"] = "1"  # NannyML reports usage over the network unless told not to
import nannyml as nml  # noqa: E402

START = 1_795_651_200  # 2026-11-27T00:00:00Z, an hour boundary


def scores(rng, n, shift):
    # A mixture of a low and a high cluster; `shift` moves weight to the high one.
    high = rng.random(n) < 0.3 + shift
    s = np.where(high, rng.beta(5, 2, n), rng.beta(2, 5, n))
    return np.clip(s, 1e-6, 1 - 1e-6)


def frame(rng, n, start, seconds, shift):
    s = scores(rng, n, shift)
    y = (rng.random(n) < s ** 2).astype(int)
    ts = start + np.sort(rng.integers(0, seconds, n))
    return pd.DataFrame({"ts": ts, "score": s, "y_pred": (s >= 0.5).astype(int), "y": y})


def write_zst(path, df, with_actual):
    lines = []
    for row in df.itertuples():
        record = {"ts": int(row.ts), "model": "fraud",
                  "prediction": {"score": float(row.score), "label": str(row.y_pred)}}
        if with_actual:
            record["actual"] = int(row.y)
        lines.append(json.dumps(record, separators=(",", ":")))
    raw = ("\n".join(lines) + "\n").encode()
    subprocess.run(["zstd", "-q", "-19", "-f", "-o", path], input=raw, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "Tests", "DriftPipelineTests",
                                                  "Fixtures", "cbpe"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20261201)
    reference = frame(rng, 20_000, START - 86_400, 86_400, 0.0)
    analysis = pd.concat([frame(rng, 2_000, START + 3600 * h, 3600, 0.04 * h) for h in range(12)], ignore_index=True)
    for df in (reference, analysis):
        df["timestamp"] = pd.to_datetime(df["ts"], unit="s")

    estimator = nml.CBPE(y_pred_proba="score", y_pred="y_pred", y_true="y", timestamp_column_name="timestamp",
                         problem_type="classification_binary", chunk_period="h",
                         metrics=["roc_auc", "f1", "accuracy", "precision", "recall"])
    estimator.fit(reference)
    result = estimator.estimate(analysis).filter(period="analysis").to_df()
    needs = bool(getattr(estimator, "needs_calibration", None))
    chunks = []
    for _, row in result.iterrows():
        start = int(pd.Timestamp(row[("chunk", "start_date")]).timestamp())
        hour = analysis[(analysis["ts"] >= start) & (analysis["ts"] < start + 3600)]
        chunk = {"window_start": start, "records": int(len(hour))}
        for metric in ["roc_auc", "f1", "accuracy", "precision", "recall"]:
            chunk[metric] = float(row[(metric, "value")])
            chunk["realized_" + metric] = float(row[(metric, "realized")]) if not pd.isna(
                row[(metric, "realized")]) else None
        chunks.append(chunk)
    write_zst(os.path.join(args.out, "reference.jsonl.zst"), reference, True)
    write_zst(os.path.join(args.out, "analysis.jsonl.zst"), analysis, False)
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump({"nannyml": nml.__version__, "needs_calibration": needs, "chunks": chunks}, f, indent=1)
        f.write("\n")
    print(f"needs_calibration={needs}, {len(chunks)} chunks written to {args.out}")


if __name__ == "__main__":
    main()
