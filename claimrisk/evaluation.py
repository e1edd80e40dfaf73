"""Score a checkpoint and the baselines on dev and on the held-out seed test split.

Writes ``reports/eval.json`` (everything, machine-readable: the model card is
generated from it), ``reports/eval.md`` (the same for people) and a confusion
matrix PNG. The model is scored through the plain torch fp32 path so the
reported numbers are those of the checkpoint itself, whatever fast backend
is used for tagging.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from .baselines import build_baselines
from .data import load_rows, read_records
from .files import write_text_atomic
from .labels import LABEL2ID, LABELS
from .metrics import bootstrap_intervals, classification_report, pass_agreement
from .tagger import Tagger

SPLITS = ("dev", "test")


def _labels(rows: list[dict]) -> np.ndarray:
    return np.array([LABEL2ID[r["label"]] for r in rows])


def evaluate_checkpoint(model_dir: str | Path, data_dir: str | Path = "data", reports_dir: str | Path = "reports", bootstrap: int = 1000) -> dict:
    rows = load_rows(data_dir)
    tagger = Tagger.from_pretrained(model_dir, backend="torch")
    report: dict = {"model": str(model_dir), "splits": {}, "baselines": {}}
    predictions = {}
    for split in SPLITS:
        probs, _ = tagger.predict_proba([r["text"] for r in rows[split]])
        predictions[split] = probs.argmax(axis=1)
        metrics = classification_report(predictions[split], _labels(rows[split]))
        metrics["n"] = len(rows[split])
        report["splits"][split] = metrics
    report["splits"]["test"]["ci95"] = bootstrap_intervals(predictions["test"], _labels(rows["test"]), n=bootstrap)
    blind = blind_ids(Path(data_dir))
    inside = np.array([r["id"] in blind for r in rows["dev"]])
    if inside.any():
        for key, mask in (("dev_blind_documents", inside), ("dev_written_to_label", ~inside)):
            report[key] = classification_report(predictions["dev"][mask], _labels(rows["dev"])[mask]) | {"n": int(mask.sum())}

    train_texts, train_y = [r["text"] for r in rows["train"]], _labels(rows["train"])
    for name, clf in build_baselines().items():
        clf.fit(train_texts, train_y)
        report["baselines"][name] = {
            split: classification_report(clf.predict([r["text"] for r in rows[split]]), _labels(rows[split])) for split in SPLITS
        }

    train_metrics = Path(model_dir) / "train_metrics.json"
    if train_metrics.exists():
        tm = json.loads(train_metrics.read_text())
        report["training"] = {k: tm.get(k) for k in ("train_runtime_s", "train_samples_per_second", "global_step", "best_checkpoint_step", "train_sentences", "dev_sentences", "seed", "versions")}
    config_file = Path(model_dir) / "training_config.yaml"
    if config_file.exists():
        import yaml

        report["config"] = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    report["counts"] = {split: {l: int((_labels(rows[split]) == i).sum()) for i, l in enumerate(LABELS)} for split in rows}
    corpus = rows["train"] + rows["dev"]
    report["corpus"] = {"topics": len({r["topic"] for r in corpus}), "genres": len({r["genre"] for r in corpus})}
    report["seed_annotator_agreement"] = annotator_agreement(Path(data_dir) / "seeds")

    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(reports_dir / "eval.json", json.dumps(report, indent=2))
    write_text_atomic(reports_dir / "eval.md", render_markdown(report))
    plot_confusion(predictions["test"], _labels(rows["test"]), reports_dir / "confusion_test.png", "seed test split")
    plot_confusion(predictions["dev"], _labels(rows["dev"]), reports_dir / "confusion_dev.png", "dev split")
    return report


def blind_ids(data_dir: Path) -> set[str]:
    """Sentences of the documents written without the guideline and labeled by two blind passes.

    They read like real web text, so their dev scores are the corpus's best
    stand-in for unseen real documents; the rest of dev was written to fit
    its labels.
    """
    path = data_dir / "audit" / "blind_pass1.jsonl"
    return {r["id"] for r in read_records(path)} if path.exists() else set()


def blind_note(report: dict) -> list[str]:
    sub = report.get("dev_blind_documents")
    if not sub:
        return []
    per_class = ", ".join(f"{l} {sub[f'{l}_f1']:.3f}" for l in LABELS)
    rest = report["dev_written_to_label"]
    return [
        f"Of these, the {sub['n']} sentences from double-annotated documents (realistic web documents written without the "
        f"guideline and labeled by two blind passes) score macro-F1 {sub['macro_f1']:.3f} ({per_class}); the other "
        f"{rest['n']}, written to fit their labels, score {rest['macro_f1']:.3f}.",
        "",
    ]


def annotator_agreement(seeds_dir: Path) -> dict | None:
    """How well two independent annotators agreed on the seed sentences: the ceiling to read scores against."""
    passes = [seeds_dir / "labels_pass1.jsonl", seeds_dir / "labels_pass2.jsonl"]
    if not all(p.exists() for p in passes):
        return None
    agreement = pass_agreement(*(read_records(p) for p in passes))
    a, b = zip(*agreement["pairs"])
    return {
        "sentences": agreement["n"],
        "agreed": agreement["agreed"],
        "accuracy": agreement["agreed"] / agreement["n"],
        "kappa": agreement["kappa"],
        "macro_f1_pass2_vs_pass1": classification_report([LABEL2ID[y] for y in b], [LABEL2ID[x] for x in a])["macro_f1"],
    }


def plot_confusion(pred, gold, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    fig, ax = plt.subplots(figsize=(5.5, 4.8), dpi=110)
    ConfusionMatrixDisplay.from_predictions(gold, pred, labels=list(range(len(LABELS))), display_labels=list(LABELS), cmap="Blues", ax=ax, colorbar=False)
    ax.set_title(f"claimrisk — {title}")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    fig.tight_layout()
    tmp = path.with_name(path.stem + ".tmp.png")
    fig.savefig(tmp)
    plt.close(fig)
    os.replace(tmp, path)


def per_class_table(metrics: dict, ci: dict | None = None) -> list[str]:
    lines = ["| label | precision | recall | F1 | support |", "| --- | ---: | ---: | ---: | ---: |"]
    for l in LABELS:
        f1 = f"{metrics[f'{l}_f1']:.3f}"
        if ci and f"{l}_f1" in ci:
            lo, hi = ci[f"{l}_f1"]
            f1 += f" ({lo:.2f}–{hi:.2f})"
        lines.append(f"| {l} | {metrics[f'{l}_precision']:.3f} | {metrics[f'{l}_recall']:.3f} | {f1} | {metrics[f'{l}_support']} |")
    mf = f"{metrics['macro_f1']:.3f}"
    acc = f"{metrics['accuracy']:.3f}"
    if ci:
        mf += " ({:.2f}–{:.2f})".format(*ci["macro_f1"])
        acc += " ({:.2f}–{:.2f})".format(*ci["accuracy"])
    lines.append(f"| **macro** | {metrics['macro_precision']:.3f} | {metrics['macro_recall']:.3f} | **{mf}** | {sum(metrics[f'{l}_support'] for l in LABELS)} |")
    lines.append(f"\nAccuracy: {acc}")
    return lines


def baseline_table(report: dict) -> list[str]:
    lines = ["| system | dev macro-F1 | test macro-F1 | test " + " | test ".join(f"{l} F1" for l in LABELS) + " |",
             "| --- | ---: | ---: | " + " | ".join("---:" for _ in LABELS) + " |"]
    rows = [("claimrisk (this model)", report["splits"])] + [(n, b) for n, b in report["baselines"].items()]
    for name, m in rows:
        lines.append(f"| {name} | {m['dev']['macro_f1']:.3f} | {m['test']['macro_f1']:.3f} | " + " | ".join(f"{m['test'][f'{l}_f1']:.3f}" for l in LABELS) + " |")
    return lines


def agreement_note(report: dict) -> list[str]:
    agreement = report.get("seed_annotator_agreement")
    if not agreement:
        return []
    return [
        f"For scale: two independent annotators labeling these {agreement['sentences']} sentences under the same guideline agreed on "
        f"{100 * agreement['accuracy']:.1f}% of them (Cohen's kappa {agreement['kappa']:.3f}; macro-F1 of one against the other "
        f"{agreement['macro_f1_pass2_vs_pass1']:.3f}).",
        "",
    ]


def render_markdown(report: dict) -> str:
    test, dev = report["splits"]["test"], report["splits"]["dev"]
    out = [
        "# claimrisk evaluation",
        "",
        f"Model: `{report['model']}`. Generated by `make eval`; do not edit by hand.",
        "",
        f"## Seed test split ({test['n']} sentences from the five held-out seed articles)",
        "",
        "95% bootstrap intervals (1,000 resamples of sentences) in brackets.",
        "",
        *per_class_table(test, test.get("ci95")),
        "",
        *agreement_note(report),
        "![confusion matrix, seed test split](confusion_test.png)",
        "",
        f"## Dev split ({dev['n']} corpus sentences, stratified by label, topic and genre)",
        "",
        *per_class_table(dev),
        "",
        *blind_note(report),
        "## Baselines (trained on the same train split)",
        "",
        *baseline_table(report),
        "",
    ]
    return "\n".join(out)
