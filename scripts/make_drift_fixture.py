#!/usr/bin/env python3
"""Makes Tests/DriftEvaluateTests/Fixtures/drift_measures.json: samples and the drift measures scipy computes on
them, the independent reference for driftd's PSI, Jensen-Shannon, KS, Wasserstein and chi-square p-values.

    python3 scripts/make_drift_fixture.py    # numpy and scipy from PyPI; fixed seed, so the output is stable

Definitions (DESIGN §5): numeric bins at the reference's deciles (numpy quantile method "inverted_cdf"),
duplicates merged, closed on the right (searchsorted side="left"); PSI with zero proportions replaced by 1e-4;
JS distance base 2; KS = ks_2samp statistic; Wasserstein = wasserstein_distance, normed by the reference's
population std; chi-square = chi2_contingency([ref, win], correction=False) with categories empty on both sides
dropped.
"""
import json
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

rng = np.random.default_rng(20261126)
N = 350  # under the KLL sketch's k, so driftd's sketch is exact and the comparison is exact too


def psi(w, r):
    w = np.where(w == 0, 1e-4, w)
    r = np.where(r == 0, 1e-4, r)
    return float(np.sum((w - r) * np.log(w / r)))


def numeric_case(name, ref, win):
    edges = np.unique(np.quantile(ref, np.arange(1, 10) / 10, method="inverted_cdf"))
    rc = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1)
    wc = np.bincount(np.searchsorted(edges, win, side="left"), minlength=len(edges) + 1)
    return {
        "name": name, "reference": ref.tolist(), "window": win.tolist(), "edges": edges.tolist(),
        "reference_counts": rc.tolist(), "window_counts": wc.tolist(),
        "psi": psi(wc / wc.sum(), rc / rc.sum()),
        "js": float(jensenshannon(wc / wc.sum(), rc / rc.sum(), base=2)),
        "ks": float(stats.ks_2samp(ref, win).statistic),
        "wasserstein": float(stats.wasserstein_distance(ref, win)),
        "wasserstein_norm": float(stats.wasserstein_distance(ref, win) / np.std(ref)) if np.std(ref) > 0 else None,
    }


def categorical_case(name, ref_counts, win_counts):
    r = np.array(ref_counts, dtype=float)
    w = np.array(win_counts, dtype=float)
    keep = (r > 0) | (w > 0)
    p = stats.chi2_contingency(np.array([r[keep], w[keep]]), correction=False).pvalue
    return {
        "name": name, "reference_counts": ref_counts, "window_counts": win_counts,
        "psi": psi(w / w.sum(), r / r.sum()), "js": float(jensenshannon(w / w.sum(), r / r.sum(), base=2)),
        "chi2_p": float(p),
    }


numeric = [
    numeric_case("normal, shifted", rng.normal(0, 1, N), rng.normal(0.3, 1, N)),
    numeric_case("normal, same distribution", rng.normal(5, 2, N), rng.normal(5, 2, N)),
    numeric_case("lognormal, wider", rng.lognormal(3, 1, N), rng.lognormal(3, 1.4, N)),
    numeric_case("uniform vs narrower", rng.uniform(0, 1, N), rng.uniform(0.2, 0.8, N)),
    numeric_case("integers with ties on edges", rng.integers(0, 10, N).astype(float), rng.integers(0, 12, N).astype(float)),
    numeric_case("constant reference", np.full(N, 3.0), rng.normal(3, 0.5, N)),
    numeric_case("few distinct values", rng.choice([1.0, 2.0, 5.0], N, p=[0.7, 0.2, 0.1]), rng.choice([1.0, 2.0, 5.0], N, p=[0.5, 0.3, 0.2])),
]
categorical = [
    categorical_case("few values, same", [500, 300, 200], [260, 140, 100]),
    categorical_case("few values, shifted", [500, 300, 200], [150, 150, 200]),
    categorical_case("one dominant value", [9500, 400, 100], [940, 50, 10]),
    categorical_case("unseen and vanished", [400, 300, 0, 300], [100, 0, 50, 80]),
    categorical_case("many values", rng.integers(50, 500, 40).tolist(), rng.integers(5, 60, 40).tolist()),
]
chi2 = [{"x": x, "k": k, "sf": float(stats.chi2.sf(x, k))}
        for x, k in [(0.5, 1), (3.84, 1), (10, 3), (30, 10), (100, 50), (200, 39), (1e-3, 2), (7.5, 7), (60, 4)]]

out = {"generated_by": "scripts/make_drift_fixture.py", "numpy": np.__version__, "scipy": scipy.__version__,
       "numeric": numeric, "categorical": categorical, "chi2_sf": chi2}
path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "Tests", "DriftEvaluateTests", "Fixtures", "drift_measures.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print(path)
