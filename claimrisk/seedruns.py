"""How far the scores move when only the training seed changes.

One training run is one draw. On this corpus a second seed moved macro-F1 on
the realistic dev documents by a few points, as much as most choices of data
or config did, so the published checkpoint's scores are shown beside those
of the same config trained with other seeds (``make seed-runs``). Readers can
then tell what a difference between two single runs is worth.

    python -m claimrisk.seedruns --out reports/seed_runs.json reports/eval.json models/seed-43-reports/eval.json ...
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .files import write_text_atomic
from .labels import LABELS

# The settings that may differ between the runs compared; anything else would make it a different experiment.
VARIED = {"seed", "output_dir"}


class SeedRunError(ValueError):
    pass


def _scores(report: dict) -> dict:
    test = report["splits"]["test"]
    row = {
        "seed": report["training"]["seed"],
        "model": report["model"],
        "dev_macro_f1": report["splits"]["dev"]["macro_f1"],
        "test_macro_f1": test["macro_f1"],
        **{f"test_{l}_f1": test[f"{l}_f1"] for l in LABELS},
    }
    if "dev_blind_documents" in report:
        row["dev_blind_documents_macro_f1"] = report["dev_blind_documents"]["macro_f1"]
    return row


def summarize(reports: list[dict], names: list[str]) -> dict:
    """Per-run scores and their spread; refuses runs that differ in anything but the seed."""
    if len(reports) < 2:
        raise SeedRunError("need the published model's report and at least one other seed's")
    first = reports[0]
    for name, report in zip(names, reports):
        if "training" not in report or "config" not in report:
            raise SeedRunError(f"{name}: no training record; evaluate a model folder written by train/train.py")
        differs = sorted(k for k in set(first["config"]) | set(report["config"])
                         if k not in VARIED and first["config"].get(k) != report["config"].get(k))
        if differs:
            raise SeedRunError(f"{name}: config differs from {names[0]} in {', '.join(differs)}; only the seed may change")
        if (report["training"]["train_sentences"], report["counts"]) != (first["training"]["train_sentences"], first["counts"]):
            raise SeedRunError(f"{name}: trained or scored on other data than {names[0]}; retrain it on the current corpus")
    seeds = [r["training"]["seed"] for r in reports]
    if len(set(seeds)) != len(seeds):
        raise SeedRunError(f"the same seed appears twice: {seeds}")
    runs = [_scores(r) for r in reports]
    spread = {}
    for key in runs[0]:
        if key in ("seed", "model"):
            continue
        values = np.array([run[key] for run in runs])
        spread[key] = {"mean": float(values.mean()), "min": float(values.min()), "max": float(values.max()),
                       "sd": float(values.std(ddof=1))}
    return {"published_seed": seeds[0], "runs": runs, "spread": spread}


def table(summary: dict) -> list[str]:
    """Markdown rows for the model card: one per seed, then the range."""
    blind = "dev_blind_documents_macro_f1" in summary["spread"]
    head = "| seed | dev macro-F1 | " + ("realistic dev documents | " if blind else "") + "seed test macro-F1 | " + \
        " | ".join(f"test {l} F1" for l in LABELS) + " |"
    keys = ["dev_macro_f1"] + (["dev_blind_documents_macro_f1"] if blind else []) + ["test_macro_f1"] + [f"test_{l}_f1" for l in LABELS]
    lines = [head, "| --- |" + " ---: |" * len(keys)]
    for run in summary["runs"]:
        mark = " (published)" if run["seed"] == summary["published_seed"] else ""
        lines.append(f"| {run['seed']}{mark} | " + " | ".join(f"{run[k]:.3f}" for k in keys) + " |")
    lines.append("| range | " + " | ".join(f"{summary['spread'][k]['min']:.3f}–{summary['spread'][k]['max']:.3f}" for k in keys) + " |")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", nargs="+", type=Path, help="eval.json files; the published model's first")
    parser.add_argument("--out", default="reports/seed_runs.json", type=Path)
    args = parser.parse_args(argv)
    reports = []
    for path in args.reports:
        try:
            reports.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            parser.exit(2, f"error: {path}: {exc}\nnothing was written to {args.out}\n")
    try:
        summary = summarize(reports, [str(p) for p in args.reports])
    except SeedRunError as exc:
        parser.exit(2, f"error: {exc}\nnothing was written to {args.out}\n")
    write_text_atomic(args.out, json.dumps(summary, indent=2))
    print("\n".join(table(summary)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
