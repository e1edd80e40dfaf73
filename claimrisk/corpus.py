"""Assemble the corpus from authored part files and assign the dev split.

Used when a batch of newly written sentences is merged into
``data/train.jsonl`` and ``data/dev.jsonl``, which are the source of truth:

    python -m claimrisk.corpus data/train.jsonl data/dev.jsonl new_batch.jsonl

Rows that already have a split keep it, so adding a batch never moves
existing sentences between train and dev.

Near-duplicates of a seed sentence or of an earlier corpus sentence are
dropped (and listed), then every sixth sentence of each label/topic/genre
ordering goes to dev, which stratifies dev by all three at once. Hashing ids
for the order keeps the assignment stable when lines are added elsewhere.
Sentences cut from whole documents (``data/articles/``, rows with a ``doc``)
are split by document instead, every sixth document to dev, so dev never
scores a sentence whose neighbours were trained on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from .data import read_records, seed_sentences
from .files import write_text_atomic
from .leakage import NearDuplicateIndex, self_duplicates

DEV_EVERY = 6
FIELDS = ("id", "text", "label", "topic", "genre", "split", "hard_case", "doc")


def _order(row: dict) -> tuple:
    return (row["label"], row["topic"], row["genre"], hashlib.sha1(row["id"].encode()).hexdigest())


def _dev(i: int) -> str:
    return "dev" if i % DEV_EVERY == DEV_EVERY - 1 else "train"


def assign_splits(rows: list[dict]) -> None:
    rows = [r for r in rows if r.get("split") not in ("train", "dev")]
    sentences = [r for r in rows if not r.get("doc")]
    for i, row in enumerate(sorted(sentences, key=_order)):
        row["split"] = _dev(i)
    docs = sorted({r["doc"] for r in rows if r.get("doc")}, key=lambda d: hashlib.sha1(d.encode()).hexdigest())
    split_of = {doc: _dev(i) for i, doc in enumerate(docs)}
    for row in rows:
        if row.get("doc"):
            row["split"] = split_of[row["doc"]]


def merge(part_files: list[Path], data_dir: Path) -> tuple[list[dict], list[str]]:
    rows, dropped = [], []
    for path in part_files:
        rows.extend(read_records(path))
    seeds = NearDuplicateIndex(seed_sentences(data_dir))
    clean = []
    for row in rows:
        hits = seeds.matches(row["text"])
        if hits:
            dropped.append(f"{row['id']}: near-duplicate of a seed sentence ({hits[0][1]})")
        else:
            clean.append(row)
    later = {j for _, j, _ in self_duplicates([r["text"] for r in clean])}
    for j in sorted(later):
        dropped.append(f"{clean[j]['id']}: near-duplicate of an earlier corpus sentence")
    kept = [r for j, r in enumerate(clean) if j not in later]
    assign_splits(kept)
    return kept, dropped


def write_jsonl(path: Path, rows: list[dict]) -> None:
    lines = (json.dumps({k: row.get(k, "") for k in FIELDS if k != "doc" or row.get("doc")}, ensure_ascii=False) for row in rows)
    write_text_atomic(path, "".join(line + "\n" for line in lines))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="+", type=Path)
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    args = parser.parse_args(argv)
    rows, dropped = merge(args.parts, args.data_dir)
    for split in ("train", "dev"):
        write_jsonl(args.data_dir / f"{split}.jsonl", [r for r in rows if r["split"] == split])
    print(f"kept {len(rows)}, dropped {len(dropped)}")
    for line in dropped:
        print("  dropped", line)


if __name__ == "__main__":
    main()
