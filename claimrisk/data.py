"""Load and validate the labeled sentences.

Layout under ``data/``::

    train.jsonl, dev.jsonl      the corpus written for this project
    seeds/*.txt                 the five seed articles (held out)
    seeds/test.jsonl            their sentences with gold labels: the test split

Every line is checked before anything trains, and every problem is reported
with file, line and field at once, so a bad edit costs one run, not one run per
mistake. The seed test set is also guarded here: a train or dev sentence that
near-duplicates a seed sentence is a validation error, not a warning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .labels import LABELS
from .leakage import NearDuplicateIndex, words

SPLIT_FILES = {"train": "train.jsonl", "dev": "dev.jsonl", "test": "seeds/test.jsonl"}
REQUIRED = ("id", "text", "label", "topic", "genre", "split")  # optional: hard_case, and doc/start/end for seed sentences


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class DataError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n  ".join(map(str, problems[:50]))
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the data:\n  {shown}{more}")


def read_records(path: Path) -> list[dict]:
    """Every JSON line of a file the project writes itself (labels passes, audit, reports); no checks."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_jsonl(path: Path, split: str, problems: list[Problem]) -> list[dict]:
    """Rows of one split file that pass the per-line checks; the rest become problems."""
    rows = []
    if not path.exists():
        problems.append(Problem(str(path), 0, "file", "missing"))
        return rows
    with path.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(Problem(str(path), n, "json", f"malformed JSON ({exc.msg})"))
                continue
            if not isinstance(row, dict):
                problems.append(Problem(str(path), n, "json", "expected an object"))
                continue
            bad = False
            for field in REQUIRED:
                value = row.get(field)
                if not isinstance(value, str) or not value.strip():
                    problems.append(Problem(str(path), n, field, "missing or empty"))
                    bad = True
            if not bad and row["label"] not in LABELS:
                problems.append(Problem(str(path), n, "label", f"unknown label {row['label']!r} (expected {', '.join(LABELS)})"))
                bad = True
            if not bad and row["split"] != split:
                problems.append(Problem(str(path), n, "split", f"{row['split']!r} in the {split} file"))
                bad = True
            if not bad:
                row["_where"] = (str(path), n)
                rows.append(row)
    return rows


def seed_sentences(data_dir: Path) -> list[str]:
    """Sentences of the seed articles, split exactly as the test set is."""
    from .segment import split_sentences

    out = []
    for path in sorted((data_dir / "seeds").glob("*.txt")):
        out.extend(s.text for s in split_sentences(path.read_text(encoding="utf-8")))
    return out


def load_rows(data_dir: str | Path = "data") -> dict[str, list[dict]]:
    """All splits as lists of dicts, after every check; raises DataError listing all problems."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    splits = {split: read_jsonl(data_dir / name, split, problems) for split, name in SPLIT_FILES.items()}

    first_id: dict[str, tuple[str, int]] = {}
    first_text: dict[tuple[str, ...], tuple[str, int, str]] = {}
    for split, rows in splits.items():
        for row in rows:
            file, line = row["_where"]
            if row["id"] in first_id:
                f0, l0 = first_id[row["id"]]
                problems.append(Problem(file, line, "id", f"duplicate id {row['id']!r} (first at {f0}:{l0})"))
            first_id.setdefault(row["id"], (file, line))
            key = tuple(words(row["text"]))
            if key in first_text and first_text[key][2] != split:
                f0, l0, s0 = first_text[key]
                problems.append(Problem(file, line, "text", f"same text in {s0} split at {f0}:{l0}"))
            first_text.setdefault(key, (file, line, split))

    seeds = seed_sentences(data_dir)
    if seeds:
        index = NearDuplicateIndex(seeds)
        for split in ("train", "dev"):
            for row in splits[split]:
                hits = index.matches(row["text"])
                if hits:
                    i, why = hits[0]
                    problems.append(Problem(*row["_where"], "text", f"near-duplicate of seed sentence {seeds[i][:60]!r} ({why})"))
    if problems:
        raise DataError(problems)
    for rows in splits.values():
        for row in rows:
            del row["_where"]
    return splits


def load_splits(data_dir: str | Path = "data"):
    """The validated splits as a ``datasets.DatasetDict`` with a ``ClassLabel`` label column."""
    from datasets import ClassLabel, Dataset, DatasetDict, Features, Value

    features = Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "label": ClassLabel(names=list(LABELS)),
            "topic": Value("string"),
            "genre": Value("string"),
            "split": Value("string"),
            "hard_case": Value("string"),
        }
    )
    splits = load_rows(data_dir)
    columns = list(features)
    return DatasetDict(
        {
            split: Dataset.from_list([{c: row.get(c, "") or "" for c in columns} for row in rows], features=features)
            for split, rows in splits.items()
        }
    )
