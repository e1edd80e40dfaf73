"""The project's metrics as ``evaluate`` modules, loaded by local path (no Hub)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from ..labels import LABELS

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def _report_metric():
    import evaluate

    return evaluate.load(str(_HERE / "claimrisk_report"))


def classification_report(predictions, references) -> dict[str, float]:
    return _report_metric().compute(
        predictions=[int(p) for p in predictions], references=[int(r) for r in references], label_names=list(LABELS)
    )


def paired_labels(first: list[dict], second: list[dict]) -> tuple[list[str], list[str]]:
    """Labels of two passes over the same sentences, matched by id, so file order never matters."""
    by_id = {r["id"]: r["label"] for r in second}
    pairs = [(r["label"], by_id[r["id"]]) for r in first if r["id"] in by_id]
    return [a for a, _ in pairs], [b for _, b in pairs]


def pass_agreement(first: list[dict], second: list[dict]) -> dict | None:
    """Raw agreement and kappa of two labeling passes, matched by id; None when they share no sentence."""
    a, b = paired_labels(first, second)
    if not a:
        return None
    agreed = sum(x == y for x, y in zip(a, b))
    return {"n": len(a), "agreed": agreed, "percent": 100 * agreed / len(a), "kappa": cohen_kappa(a, b), "pairs": list(zip(a, b))}


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Chance-corrected agreement of two annotation passes over the same sentences."""
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(a, b, labels=list(LABELS)))


def bootstrap_intervals(predictions, references, keys=None, n: int = 1000, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Percentile 95% intervals from resampling sentences with replacement.

    Computed with scikit-learn directly for speed (1,000 resamples); the
    point estimates in reports come from the evaluate module above.
    """
    from sklearn.metrics import accuracy_score, f1_score

    predictions, references = np.asarray(predictions), np.asarray(references)
    rng = np.random.default_rng(seed)
    ids = list(range(len(LABELS)))
    samples: dict[str, list[float]] = {"macro_f1": [], "accuracy": []} | {f"{l}_f1": [] for l in LABELS}
    for _ in range(n):
        idx = rng.integers(0, len(references), len(references))
        p, r = predictions[idx], references[idx]
        per = f1_score(r, p, labels=ids, average=None, zero_division=0)
        samples["macro_f1"].append(float(per.mean()))
        samples["accuracy"].append(float(accuracy_score(r, p)))
        for i, l in enumerate(LABELS):
            samples[f"{l}_f1"].append(float(per[i]))
    return {k: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) for k, v in samples.items() if keys is None or k in keys}
