"""Write the data card's numbers (``data/README.md``) from the data itself.

    python -m claimrisk.datacard            # rewrite the generated section
    python -m claimrisk.datacard --check    # exit 1 if it is out of date

The card is prose written by people plus one generated block (see
``claimrisk.blocks``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

from .blocks import replace_block
from .data import load_rows, read_records
from .evaluation import annotator_agreement
from .files import write_text_atomic
from .labels import LABELS
from .metrics import pass_agreement

BLOCK = "datacard"


def _read(path: Path) -> list[dict]:
    return read_records(path) if path.exists() else []


def _passes(first_path: Path, second_path: Path) -> dict | None:
    return pass_agreement(_read(first_path), _read(second_path))


def _table(counter: Counter, total: int, header: str) -> list[str]:
    lines = [f"| {header} | sentences | share |", "| --- | ---: | ---: |"]
    for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {key} | {n} | {100 * n / total:.1f}% |")
    return lines


def generated_block(data_dir: Path) -> str:
    rows = load_rows(data_dir)
    corpus = rows["train"] + rows["dev"]
    n = len(corpus)
    words = [len(r["text"].split()) for r in corpus]
    out = ["### Counts by split and label", "", "| split | " + " | ".join(LABELS) + " | total |",
           "| --- | " + " | ".join("---:" for _ in LABELS) + " | ---: |"]
    for split in ("train", "dev", "test"):
        c = Counter(r["label"] for r in rows[split])
        out.append(f"| {split} | " + " | ".join(str(c[l]) for l in LABELS) + f" | {len(rows[split])} |")
    hard = Counter(r["label"] for r in corpus if r.get("hard_case"))
    total = Counter(r["label"] for r in corpus)
    out += ["", "### Hard cases (train + dev)", "", "| label | hard cases | share of label |", "| --- | ---: | ---: |"]
    out += [f"| {l} | {hard[l]} | {100 * hard[l] / max(total[l], 1):.1f}% |" for l in LABELS]
    kinds = Counter(r["hard_case"] for r in corpus if r.get("hard_case"))
    out += ["", "Most frequent hard-case kinds: " + ", ".join(f"{k} ({v})" for k, v in kinds.most_common(20)) + "."]
    out += ["", f"Sentence length (train + dev): {min(words)} to {max(words)} words, median {statistics.median(words):.0f}; "
            f"{sum(w >= 30 for w in words)} sentences of 30 words or more."]
    docs = {r["doc"] for r in corpus if r.get("doc")}
    out += ["", f"Whole documents (`data/articles/`): {len(docs)}, contributing {sum(1 for r in corpus if r.get('doc'))} sentences; "
            f"{sum(1 for r in rows['dev'] if r.get('doc'))} of the dev sentences come from documents held out whole."]
    topics = Counter(r["topic"] for r in corpus)
    out += ["", f"### Topics ({len(topics)}; train + dev)", "", *_table(topics, n, "topic")]
    out += ["", f"### Genres ({len(Counter(r['genre'] for r in corpus))}; train + dev)", "", *_table(Counter(r["genre"] for r in corpus), n, "genre")]

    seeds = data_dir / "seeds"
    seed_passes = annotator_agreement(seeds)
    if seed_passes:
        n = seed_passes["sentences"]
        out += ["", "### Seed test labels: agreement of the two independent passes", "",
                f"{n} sentences; raw agreement {100 * seed_passes['accuracy']:.1f}%, Cohen's kappa {seed_passes['kappa']:.3f}; "
                f"{n - seed_passes['agreed']} disagreements adjudicated (`data/seeds/adjudication.jsonl`)."]
    blind = _passes(data_dir / "audit" / "blind_pass1.jsonl", data_dir / "audit" / "blind_pass2.jsonl")
    if blind:
        adjudicated = _read(data_dir / "audit" / "blind_adjudication.jsonl")
        out += ["", "### Blind-written document waves: agreement of the two independent passes", "",
                f"{blind['n']} segmented sentences; raw agreement {blind['percent']:.1f}%, Cohen's kappa {blind['kappa']:.3f}; "
                f"{len(adjudicated)} disagreements adjudicated (`audit/blind_adjudication.jsonl`)."]
    contract = pass_agreement(corpus, _read(data_dir / "audit" / "contract_only_pass.jsonl"))
    if contract:
        out += ["", "### Contract-only reading: how far the guideline's decisions move labels", "",
                f"A third pass, by annotators given only `LABELS.md` (not this guideline), labeled {contract['n']} corpus sentences "
                f"from whole blind-written documents: raw agreement with the corpus labels {contract['percent']:.1f}%, "
                f"Cohen's kappa {contract['kappa']:.3f}. Rows are corpus labels, columns the contract-only reading:", "",
                "| corpus \\ contract-only | " + " | ".join(LABELS) + " |", "| --- | " + " | ".join("---:" for _ in LABELS) + " |"]
        cells = Counter(contract["pairs"])
        out += [f"| {a} | " + " | ".join(str(cells[(a, b)]) for b in LABELS) + " |" for a in LABELS]
    audit = _passes(data_dir / "audit" / "audit_pass1.jsonl", data_dir / "audit" / "audit_pass2.jsonl")
    if audit:
        resolutions = _read(data_dir / "audit" / "resolutions.jsonl")
        changed = sum(r["final"] != r["first_pass"] for r in resolutions)
        out += ["", "### Label audit (second independent pass over a random sample)", "",
                f"{audit['n']} sentences; raw agreement {audit['percent']:.1f}%, Cohen's kappa {audit['kappa']:.3f} "
                f"(before resolution). {len(resolutions)} disagreements resolved; {changed} corpus labels changed as a result."]
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="data", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    card_path = args.data / "README.md"
    card = card_path.read_text(encoding="utf-8") if card_path.exists() else "# claimrisk data card\n"
    new = replace_block(card, BLOCK, generated_block(args.data))
    if args.check:
        if new != card:
            print(f"{card_path} is out of date: run python -m claimrisk.datacard", file=sys.stderr)
            return 1
        return 0
    write_text_atomic(card_path, new)
    print(f"wrote {card_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
