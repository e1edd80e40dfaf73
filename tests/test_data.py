import json

import pytest

from claimrisk.data import DataError, load_rows, load_splits


def test_load_splits_gives_classlabel_features(data_dir):
    ds = load_splits(data_dir)
    assert set(ds) == {"train", "dev", "test"}
    assert ds["train"].features["label"].names == ["safe", "hedged", "overstated", "hazardous"]
    assert len(ds["test"]) == 3


def _append(path, row):
    with path.open("a", encoding="utf-8") as fh:
        fh.write((row if isinstance(row, str) else json.dumps(row)) + "\n")


def _problems(data_dir):
    with pytest.raises(DataError) as info:
        load_rows(data_dir)
    return [str(p) for p in info.value.problems]


def test_every_problem_is_reported_with_file_line_and_field(data_dir):
    train = data_dir / "train.jsonl"
    n = len(train.read_text().splitlines())
    _append(train, "{not json")
    _append(train, {"id": "x1", "text": "", "label": "safe", "topic": "t", "genre": "g", "split": "train"})
    _append(train, {"id": "x2", "text": "Fine sentence here.", "label": "risky", "topic": "t", "genre": "g", "split": "train"})
    _append(train, {"id": "safe-0", "text": "Another fine sentence.", "label": "safe", "topic": "t", "genre": "g", "split": "train"})
    problems = _problems(data_dir)
    assert f"{train}:{n + 1}: json: malformed JSON" in problems[0]
    assert any(p.startswith(f"{train}:{n + 2}: text: missing or empty") for p in problems)
    assert any(p.startswith(f"{train}:{n + 3}: label: unknown label 'risky'") for p in problems)
    assert any(p.startswith(f"{train}:{n + 4}: id: duplicate id 'safe-0'") for p in problems)


def test_same_text_in_two_splits_is_refused(data_dir):
    dev = data_dir / "dev.jsonl"
    _append(dev, {"id": "dup", "text": "Valerian is a flowering plant native to Europe and parts of Asia.", "label": "safe",
                  "topic": "t", "genre": "g", "split": "dev"})
    assert any("same text in train split" in p for p in _problems(data_dir))


def test_seed_sentence_in_training_data_is_refused(data_dir):
    _append(data_dir / "train.jsonl", {"id": "leak", "text": "Some people say it may ease pain.", "label": "hedged",
                                       "topic": "t", "genre": "g", "split": "train"})
    assert any("near-duplicate of seed sentence" in p for p in _problems(data_dir))


def test_merging_a_batch_drops_echoes_and_keeps_existing_splits(data_dir, tmp_path):
    from claimrisk.corpus import merge

    batch = tmp_path / "batch.jsonl"
    new = [
        {"id": "n1", "text": "Some people say it may ease pain.", "label": "hedged", "topic": "t", "genre": "g"},  # a seed sentence
        {"id": "n2", "text": "Valerian is a flowering plant native to Europe and parts of Asia.", "label": "safe", "topic": "t", "genre": "g"},
        {"id": "n3", "text": "Elderberry syrup may shorten colds a little, small trials suggest.", "label": "hedged", "topic": "t", "genre": "g"},
    ]
    batch.write_text("".join(json.dumps(r) + "\n" for r in new))
    before = {r["id"]: r["split"] for split in ("train", "dev") for r in load_rows(data_dir)[split]}
    rows, dropped = merge([data_dir / "train.jsonl", data_dir / "dev.jsonl", batch], data_dir)
    assert {r["id"]: r["split"] for r in rows if r["id"] in before} == before
    assert [d.split(":")[0] for d in dropped] == ["n1", "n2"]
    assert next(r for r in rows if r["id"] == "n3")["split"] in ("train", "dev")
