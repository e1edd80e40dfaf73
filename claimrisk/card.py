"""Generate the Hugging Face Hub model card from ``reports/eval.json``.

Every number on the card is read from the evaluation report, never typed, so
the card cannot drift from what ``make eval`` measured; a test regenerates it
and compares. ``write_hub_folder`` assembles what ``huggingface-cli upload``
needs: the checkpoint files plus the card as ``README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

import yaml

from .blocks import update_file
from .evaluation import agreement_note, baseline_table, blind_note, per_class_table
from .files import write_text_atomic
from .labels import LABELS
from .seedruns import table as seed_table

WIDGET = [
    "Take 3 to 5 grams of the powder every morning for lasting energy.",
    "Early studies suggest that magnesium may modestly improve sleep in older adults.",
    "Ashwagandha lowers cortisol and melts away stress.",
    "Valerian is a flowering plant native to Europe and parts of Asia.",
]


def missed_note(test: dict) -> str:
    """The class the model misses most on real text, so no reader takes a clean tag as an all-clear."""
    weakest = min(LABELS, key=lambda l: test[f"{l}_recall"])
    return (f"- On the seed test split it finds only {test[f'{weakest}_recall']:.0%} of the {weakest} sentences "
            f"(recall {test[f'{weakest}_recall']:.2f}): use it to rank sentences for human review, never as the only "
            f"filter for {weakest} text.")


def _front_matter(report: dict) -> str:
    test = report["splits"]["test"]
    metrics = [{"type": "f1", "name": "macro-F1 (seed test)", "value": round(test["macro_f1"], 4)}]
    metrics += [{"type": "f1", "name": f"{l} F1 (seed test)", "value": round(test[f"{l}_f1"], 4)} for l in LABELS]
    metrics.append({"type": "accuracy", "name": "accuracy (seed test)", "value": round(test["accuracy"], 4)})
    base = report.get("config", {}).get("base_model", "")
    meta = {
        "license": "apache-2.0",
        "language": ["en"],
        "library_name": "transformers",
        "pipeline_tag": "text-classification",
        "base_model": "sentence-transformers/all-MiniLM-L6-v2" if base.startswith("bundled:") else base,
        "tags": ["health", "misinformation", "claim-detection", "sentence-classification", "content-moderation"],
        "metrics": ["f1", "precision", "recall", "accuracy"],
        "widget": [{"text": t} for t in WIDGET],
        "model-index": [
            {
                "name": "claimrisk",
                "results": [
                    {
                        "task": {"type": "text-classification", "name": "Health claim risk tagging"},
                        "dataset": {"type": "claimrisk-seed-test", "name": "claimrisk seed test split (five held-out kratom web articles)", "split": "test"},
                        "metrics": metrics,
                    }
                ],
            }
        ],
    }
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def speed_section(bench: dict | None) -> list[str]:
    if not bench:
        return ["Run `make bench` to measure tagging speed on your machine.", ""]
    from .bench import speed_table

    lines = [
        f"Measured by `make bench` ({bench['sentences']} sentences, {bench['rounds']} interleaved rounds, one CPU run; "
        "ratios matter more than absolute numbers):",
        "",
        *speed_table(bench),
    ]
    lines += ["", "The opt-in modes are never the default: they may change predictions (see the agreement columns).", ""]
    return lines


def seed_note(report: dict, seed_runs: dict | None) -> list[str]:
    """The published scores beside the same config's under other seeds, so no reader over-reads one run."""
    if not seed_runs:
        return []
    published = next(r for r in seed_runs["runs"] if r["seed"] == seed_runs["published_seed"])
    if (published["seed"], published["test_macro_f1"]) != (report.get("training", {}).get("seed"), report["splits"]["test"]["macro_f1"]):
        print("card: reports/seed_runs.json describes another checkpoint; left out (run `make seed-runs`)")
        return []
    runs, test = seed_runs["runs"], seed_runs["spread"]["test_macro_f1"]
    text = (f"Training the same config on the same corpus with {len(runs)} seeds and scoring each the same way (`make seed-runs`) "
            "gives the table below. The published checkpoint uses the config's seed, fixed before the others were trained; it was "
            f"not picked among them. Seed test macro-F1 spans {test['min']:.3f}–{test['max']:.3f} across seeds alone, so a gap "
            f"smaller than that between two single runs is not evidence; {len(runs)} seeds show only part of that spread, and "
            "the bootstrap intervals above, the test split's own sampling noise, are wider.")
    if "dev_blind_documents_macro_f1" in runs[0]:
        best = {k: max(runs, key=lambda r: r[k])["seed"] for k in ("dev_blind_documents_macro_f1", "test_macro_f1")}
        if len(set(best.values())) > 1:
            text += (" The seed that scores best on the realistic dev documents is not the one that scores best on the seed "
                     "test split: at this scale neither ranks single runs reliably.")
    return [text, "", *seed_table(seed_runs)]


def render_card(report: dict, bench: dict | None = None, seed_runs: dict | None = None) -> str:
    test, dev = report["splits"]["test"], report["splits"]["dev"]
    cfg = report.get("config", {})
    tr = report.get("training", {})
    counts = report.get("counts", {})
    versions = tr.get("versions") or {}
    tfidf = report["baselines"]["tfidf_logreg"]["test"]["macro_f1"]
    hp_keys = ("base_model", "max_length", "epochs", "learning_rate", "batch_size", "weight_decay", "warmup_ratio", "class_weighting", "label_smoothing", "group_by_length", "freeze_word_embeddings", "freeze_layers", "cache_frozen_layers", "select_best_on_dev", "optim", "bf16", "seed")
    chosen = f" (best checkpoint at step {tr['best_checkpoint_step']})" if tr.get("best_checkpoint_step") else ""
    seeds = seed_note(report, seed_runs)
    lines = [
        _front_matter(report),
        "# claimrisk",
        "",
        "A sentence classifier for health text. It reads one sentence at a time and tags it **safe**, **hedged**, "
        "**overstated** or **hazardous**, ranking the risk that a reader who believes or follows the sentence is misled "
        "or harmed. It judges how a sentence *frames* a health claim (certainty, evidence appeals, instructions); it does not fact-check.",
        "",
        "| label | meaning |",
        "| --- | --- |",
        "| hazardous | a reader acting on it could be harmed: doses of unregulated substances, replacing proven treatment, false reassurance, vulnerable groups, cure promises |",
        "| overstated | a benefit or mechanism asserted with more certainty than the evidence supports |",
        "| hedged | a health claim honestly qualified (\"may\", \"early studies suggest\", \"is linked to\") |",
        "| safe | no health claim, accurate facts, accurate risk statements, advice to consult a clinician |",
        "",
        "The full labeling guideline is `data/GUIDELINES.md` in the project repository.",
        "",
        "## Intended use",
        "",
        "- Health editors and fact-checkers triaging drafts: find the sentences worth a second look.",
        "- Trust-and-safety pipelines: flag or gate documents containing hazardous advice, with a human reviewing the flags.",
        "- Researchers measuring how health claims are framed across a corpus.",
        "",
        "## Out-of-scope use",
        "",
        "- Medical advice, diagnosis, or deciding whether a claim is *true*: the model reads framing, not facts.",
        "- Automatic removal of content without human review.",
        "- Languages other than English; long documents scored as a whole (tag sentences instead).",
        "",
        "## Limitations and risks",
        "",
        f"- The held-out test set is small ({test['n']} sentences) and from five SEO web articles on one topic (kratom); the "
        "intervals below are wide, and scores on other genres and topics may differ.",
        "- The training corpus was written for this project (model-assisted, then reviewed against the guideline), not sampled from the web: "
        "real text is messier, and the model may rely on wording patterns of that corpus.",
        "- It reads one sentence at a time; guideline decisions that depend on the surrounding document (a list item under a "
        "protocol heading, a story whose point is abandoning treatment) are only partly learnable.",
        "- Whether a statement is \"accurate and uncontroversial\" (safe) or \"more certain than the evidence\" (overstated) "
        "depends on medical knowledge the encoder only partly has; expect errors on consensus facts stated plainly.",
        "- Sentences longer than the model window are truncated and flagged by the tagging tools.",
        missed_note(test),
        "",
        "## Training data",
        "",
        f"{tr.get('train_sentences', 'n/a')} training and {dev['n']} dev sentences written for this project across "
        f"{report.get('corpus', {}).get('topics', 'n/a')} health topics and {report.get('corpus', {}).get('genres', 'n/a')} genres "
        "(blogs, product pages, forums, social posts, news, headlines, press releases, abstracts, leaflets, clinician Q&A, "
        "fact-checks), partly as isolated sentences with deliberate hard cases for each label and partly as whole documents split "
        "into sentences, the later ones written without the guideline and labeled by two independent annotators. The five seed articles are never trained on; a test fails the build if any "
        "corpus sentence near-duplicates a seed sentence. See `data/README.md` for counts, provenance and the label audit.",
        "",
        "| split | " + " | ".join(LABELS) + " |",
        "| --- | " + " | ".join("---:" for _ in LABELS) + " |",
        *[f"| {s} | " + " | ".join(str(counts.get(s, {}).get(l, 0)) for l in LABELS) + " |" for s in ("train", "dev", "test")],
        "",
        "## Training procedure",
        "",
        "Fine-tuned with the transformers `Trainer` (class-weighted cross-entropy, dynamic padding, length-grouped batches); "
        + ("the checkpoint with the best dev macro-F1 is kept. " if cfg.get("select_best_on_dev", True) else
           "the learning rate decays to zero and the weights after the last epoch are kept, then scored on dev once. ")
        + "Reproduce with `make train` (config `configs/default.yaml`).",
        "",
        "| hyperparameter | value |",
        "| --- | --- |",
        *[f"| {k} | {cfg[k]} |" for k in hp_keys if k in cfg],
        "",
        f"Training took {tr.get('train_runtime_s', 'n/a')} s for {tr.get('global_step', 'n/a')} optimisation steps on the machine that "
        f"ran `make train`{chosen}. Library versions: "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
        + ".",
        "",
        "## Evaluation",
        "",
        f"### Seed test split ({test['n']} sentences, five held-out articles)",
        "",
        "Gold labels were assigned by two independent annotation passes under the guideline and adjudicated, before any model output on them was seen. "
        "95% bootstrap intervals in brackets.",
        "",
        *per_class_table(test, test.get("ci95")),
        "",
        *agreement_note(report),
        f"### Dev split ({dev['n']} sentences)",
        "",
        *per_class_table(dev),
        "",
        *blind_note(report),
        "### Baselines",
        "",
        "Majority class, TF-IDF + logistic regression, and a cue-word rule baseline (the guideline's cue words in its decision order), "
        f"trained and scored on the same splits. On the seed test split this model is {test['macro_f1'] - tfidf:+.3f} macro-F1 from TF-IDF.",
        "",
        *baseline_table(report),
        "",
        *(["### Training-seed variation", "", *seeds, ""] if seeds else []),
        "## Speed",
        "",
        *speed_section(bench),
        "## How to use",
        "",
        "With plain transformers:",
        "",
        "```python",
        "from transformers import pipeline",
        "",
        'clf = pipeline("text-classification", model="path/or/hub-id")',
        'clf("Take 3 to 5 grams of the powder every morning.")',
        "```",
        "",
        "With the claimrisk library, which splits documents into sentences and keeps character offsets:",
        "",
        "```python",
        "from claimrisk import Tagger",
        "",
        'tagger = Tagger.from_pretrained("path/or/hub-id")',
        'for s in tagger.tag(open("article.txt").read()):',
        "    print(s.start, s.end, s.label, s.text)",
        "```",
        "",
        "From the command line: `claimrisk tag article.txt --format html -o report.html`.",
        "",
        "*This card is generated by `make card` from `reports/eval.json`; edit `claimrisk/card.py`, not this file.*",
        "",
    ]
    return "\n".join(lines)


def readme_results(report: dict, seed_runs: dict | None = None) -> str:
    test = report["splits"]["test"]
    seeds = seed_note(report, seed_runs)
    return "\n".join([
        f"Seed test split ({test['n']} held-out sentences), from `reports/eval.json` "
        "(95% bootstrap intervals in brackets):",
        "",
        *per_class_table(test, test.get("ci95")),
        "",
        *agreement_note(report),
        *baseline_table(report),
        "",
        f"Dev macro-F1 is {report['splits']['dev']['macro_f1']:.3f} over all {report['splits']['dev']['n']} dev sentences. "
        + " ".join(blind_note(report)).strip(),
        *(["", *seeds] if seeds else []),
    ])


def load_beside(report_path: str | Path, name: str) -> dict | None:
    """A report beside eval.json (bench.json from `make bench`, seed_runs.json from `make seed-runs`), when it has been made."""
    path = Path(report_path).with_name(name)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def write_card(report_path: str | Path, out: str | Path) -> str:
    report = json.loads(Path(report_path).read_text(encoding="utf-8"))
    text = render_card(report, load_beside(report_path, "bench.json"), load_beside(report_path, "seed_runs.json"))
    write_text_atomic(out, text)
    return text


def write_hub_folder(model_dir: str | Path, card: str | Path, out: str | Path) -> Path:
    """Checkpoint files plus the card as README.md, ready for ``huggingface-cli upload``."""
    model_dir, out = Path(model_dir), Path(out)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for f in model_dir.iterdir():
        if f.is_file() and f.suffix in {".safetensors", ".json", ".yaml", ".txt", ".onnx"}:
            shutil.copy2(f, tmp / f.name)
    shutil.copy2(card, tmp / "README.md")
    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Write model_card.md (and optionally the Hub folder) from reports/eval.json.")
    parser.add_argument("--report", default="reports/eval.json")
    parser.add_argument("--out", default="model_card.md")
    parser.add_argument("--model", default="models/claimrisk")
    parser.add_argument("--hub-dir", default=None, help="also assemble a Hub-ready folder here")
    parser.add_argument("--readme", default=None, help="also rewrite the results block of this README")
    args = parser.parse_args(argv)
    write_card(args.report, args.out)
    print(f"wrote {args.out}")
    if args.readme:
        report = json.loads(Path(args.report).read_text(encoding="utf-8"))
        update_file(args.readme, "results", readme_results(report, load_beside(args.report, "seed_runs.json")))
        print(f"updated the results block of {args.readme}")
    if args.hub_dir:
        print(f"wrote {write_hub_folder(args.model, args.out, args.hub_dir)}")


if __name__ == "__main__":
    main()
