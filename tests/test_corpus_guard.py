"""The real corpus: leak-free against the seed articles and free of near-duplicates of itself."""

from conftest import ROOT

from claimrisk.data import load_rows, seed_sentences
from claimrisk.leakage import NearDuplicateIndex, self_duplicates


def test_leak_rules_catch_copies_and_paraphrases():
    index = NearDuplicateIndex(["Kratom regulates prolactin levels through interaction with opioid receptors in the brain."])
    assert index.matches("Experts say kratom regulates prolactin levels through interaction with opioid receptors today.")
    assert index.matches("Kratom regulates prolactin levels through interaction with opioid receptors in the human brain.")
    # Short sentences have no 8-word run; the 5-gram Jaccard rule still catches a one-word edit.
    short = NearDuplicateIndex(["Turmeric cures joint pain in older dogs."])
    assert short.matches("Turmeric cures joint pain in older cats.")
    assert not index.matches("Valerian root has been used as a sleep aid since ancient Greece.")


def test_corpus_validates_and_never_echoes_a_seed_sentence():
    rows = load_rows(ROOT / "data")  # raises DataError on any seed near-duplicate
    seeds = NearDuplicateIndex(seed_sentences(ROOT / "data"))
    leaks = [r["id"] for split in ("train", "dev") for r in rows[split] if seeds.matches(r["text"])]
    assert leaks == []


def test_corpus_has_no_near_duplicates_of_itself():
    rows = load_rows(ROOT / "data")
    texts = [r["text"] for split in ("train", "dev") for r in rows[split]]
    assert self_duplicates(texts) == []
