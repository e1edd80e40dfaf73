import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimrisk import LABELS, Tagger
from claimrisk.modeling import UnsafeCheckpointError


def test_predict_returns_one_of_four_labels_with_probabilities(tiny_tagger):
    preds = tiny_tagger.predict(["Take 3 grams twice a day.", "What is valerian?"])
    assert len(preds) == 2
    for p in preds:
        assert p.label in LABELS
        assert set(p.probabilities) == set(LABELS)
        assert abs(sum(p.probabilities.values()) - 1) < 1e-5
        assert p.label == max(p.probabilities, key=p.probabilities.get)


def test_tag_gives_sentences_with_offsets(tiny_tagger):
    doc = "Kratom Guide\nIt may ease pain. Take 5 g daily!\n"
    tagged = tiny_tagger.tag(doc)
    assert [s.text for s in tagged] == ["Kratom Guide", "It may ease pain.", "Take 5 g daily!"]
    assert all(doc[s.start : s.end] == s.text for s in tagged)
    assert [s.index for s in tagged] == [0, 1, 2]


def test_tag_many_matches_tag_and_keeps_order(tiny_tagger):
    docs = [f"Document {i}. It may help {i} people." for i in range(30)] + ["", "Last one."]
    many = list(tiny_tagger.tag_many(iter(docs), batch_sentences=7))
    assert len(many) == len(docs)
    for doc, got in zip(docs, many):
        assert [(s.text, s.label) for s in got] == [(s.text, s.label) for s in tiny_tagger.tag(doc)]


def test_batching_does_not_change_predictions(tiny_model):
    sentences = ["Short.", "A much longer sentence about herbal supplements and sleep " * 3, "Take 2 g."] * 5
    one = Tagger.from_pretrained(tiny_model, backend="torch", batch_size=1).predict_proba(sentences)[0]
    many = Tagger.from_pretrained(tiny_model, backend="torch", batch_size=16).predict_proba(sentences)[0]
    assert (one.argmax(1) == many.argmax(1)).all()
    assert abs(one - many).max() < 1e-5


def test_long_sentence_is_truncated_and_flagged(tiny_tagger):
    pred = tiny_tagger.predict(["word " * 400])[0]
    assert pred.truncated is True
    assert tiny_tagger.predict(["short"])[0].truncated is False


def test_plain_transformers_pipeline_loads_the_checkpoint(tiny_model):
    from transformers import pipeline

    out = pipeline("text-classification", model=str(tiny_model), top_k=None)(["It may help."])[0]
    assert {d["label"] for d in out} == set(LABELS)


def test_pickle_only_folder_is_refused(tiny_model_copy):
    (tiny_model_copy / "model.safetensors").rename(tiny_model_copy / "pytorch_model.bin")
    with pytest.raises(UnsafeCheckpointError, match="pickle"):
        Tagger.from_pretrained(tiny_model_copy, backend="torch")


def test_wrong_label_set_is_refused(tiny_model_copy):
    import json

    cfg = json.loads((tiny_model_copy / "config.json").read_text())
    cfg["id2label"] = {"0": "NEGATIVE", "1": "POSITIVE", "2": "X", "3": "Y"}
    (tiny_model_copy / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ValueError, match="label set"):
        Tagger.from_pretrained(tiny_model_copy, backend="torch")


def test_concurrent_calls_match_serial_calls(tiny_tagger):
    docs = [f"Sentence {i} says it may help. Take {i} mg daily!\nHeading {i}" for i in range(40)]
    expected = [[(s.start, s.end, s.label) for s in tiny_tagger.tag(d)] for d in docs]
    results = [None] * len(docs)
    errors = []

    def work(k):
        try:
            for i in range(k, len(docs), 4):
                results[i] = [(s.start, s.end, s.label) for s in tiny_tagger.tag(docs[i])]
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == expected


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=300), st.text(alphabet="<>/ap \n.!?&;", max_size=200), st.just("\x00\x01\x02 text")))
def test_tagger_never_raises_and_labels_every_sentence(tiny_tagger, doc):
    for s in tiny_tagger.tag(doc):
        assert doc[s.start : s.end] == s.text
        assert s.label in LABELS


def test_tag_many_streams_with_bounded_lookahead(tiny_tagger):
    """A 1 GB JSONL must stream: results come back before the input is read much further."""
    pulled = 0

    def endless():
        nonlocal pulled
        while True:
            pulled += 1
            yield "It may help. Take 2 g daily."

    results = tiny_tagger.tag_many(endless(), batch_sentences=50)
    for _ in range(100):
        assert len(next(results)) == 2
    assert pulled <= 100 + 25  # never more than one batch (50 sentences = 25 documents) ahead


def test_bf16_opt_in_backend_labels_every_sentence(tiny_model):
    tagger = Tagger.from_pretrained(tiny_model, backend="bf16")
    assert tagger.backend.name == "bf16"
    preds = tagger.predict(["Take 3 grams twice a day.", "It may help."])
    assert all(p.label in LABELS for p in preds)


def test_unknown_backend_is_named(tiny_model):
    with pytest.raises(ValueError, match="unknown backend 'gpu'"):
        Tagger.from_pretrained(tiny_model, backend="gpu")
