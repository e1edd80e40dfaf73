"""Shared fixtures: a tiny randomly initialised BERT and a tiny labeled data folder.

Unit tests never download anything and never train the real encoder; they
use a 2-layer, 32-wide BERT built from a config, with the bundled encoder's
tokenizer so tokenization is the real one.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]

TINY_ROWS = {
    "safe": [
        "Valerian is a flowering plant native to Europe and parts of Asia.",
        "Consult a pharmacist before combining supplements with prescription drugs.",
        "What Is Turmeric?",
        "The study enrolled 120 adults over twelve weeks.",
        "St John's wort interacts with many common medicines.",
        "Its long-term effects are not known.",
    ],
    "hedged": [
        "Some small studies suggest magnesium may improve sleep quality.",
        "Green tea intake is associated with lower blood pressure.",
        "Possible Benefits of Ginger",
        "Early research hints that curcumin might ease joint stiffness.",
        "Zinc lozenges could shorten a cold slightly, though evidence is mixed.",
        "Some users report feeling calmer after chamomile tea.",
    ],
    "overstated": [
        "Ashwagandha lowers cortisol and ends stress.",
        "Research shows this tea flushes toxins from your liver.",
        "How Turmeric Heals Arthritis",
        "Collagen powder reverses skin ageing in weeks.",
        "Clinically proven to boost your immune system.",
        "Apple cider vinegar melts belly fat.",
    ],
    "hazardous": [
        "Take 3 grams of the powder twice a day for pain.",
        "You can stop your blood pressure pills once you start garlic extract.",
        "This herb is completely safe for children and pregnant women.",
        "Vaccines cause autism, so skip them.",
        "Start with 10 drops under the tongue and increase until it works.",
        "Black salve cures skin cancer without surgery.",
    ],
}
SEED_TEXT = "Kratom Basics\nKratom is a tree from Southeast Asia. Some people say it may ease pain.\n"


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def make_data_dir(root: Path) -> Path:
    """train/dev/test files in the project layout, from TINY_ROWS."""
    train, dev = [], []
    for label, texts in TINY_ROWS.items():
        for i, text in enumerate(texts):
            row = {"id": f"{label}-{i}", "text": text, "label": label, "topic": "supplements", "genre": "seo_blog"}
            (dev if i % 3 == 2 else train).append(row | {"split": "dev" if i % 3 == 2 else "train"})
    write_jsonl(root / "train.jsonl", train)
    write_jsonl(root / "dev.jsonl", dev)
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "seeds" / "000_seed.txt").write_text(SEED_TEXT, encoding="utf-8")
    from claimrisk.segment import split_sentences

    test = [
        {"id": f"seed-{i}", "text": s.text, "label": "safe" if i < 2 else "hedged", "topic": "kratom",
         "genre": "seo_blog", "split": "test"}
        for i, s in enumerate(split_sentences(SEED_TEXT))
    ]
    write_jsonl(root / "seeds" / "test.jsonl", test)
    return root


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return make_data_dir(tmp_path / "data")


def build_tiny_model(out: Path) -> Path:
    """A random 2-layer BERT with the four-label head and the bundled tokenizer."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from claimrisk.labels import ID2LABEL, LABEL2ID
    from claimrisk.modeling import resolve_model
    from claimrisk.config import BUNDLED_ENCODER

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(resolve_model(BUNDLED_ENCODER))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=128, num_labels=4, id2label=ID2LABEL, label2id=LABEL2ID,
    )
    model = BertForSequenceClassification(config)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture
def tiny_model_copy(tiny_model, tmp_path) -> Path:
    dst = tmp_path / "model"
    shutil.copytree(tiny_model, dst)
    return dst


@pytest.fixture(scope="session")
def tiny_tagger(tiny_model):
    from claimrisk import Tagger

    return Tagger.from_pretrained(tiny_model, backend="torch")
