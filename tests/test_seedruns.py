"""`make seed-runs`: the published model's scores beside the same config trained with other seeds."""

import json

import pytest

from claimrisk.card import seed_note
from claimrisk.labels import LABELS
from claimrisk.seedruns import SeedRunError, main, summarize, table


def fake_report(seed: int, test_f1: float, **config) -> dict:
    per_class = {f"{l}_f1": test_f1 for l in LABELS}
    return {
        "model": f"models/seed-{seed}",
        "splits": {"dev": {"macro_f1": 0.84}, "test": {"macro_f1": test_f1, **per_class}},
        "dev_blind_documents": {"macro_f1": test_f1 + 0.05},
        "training": {"seed": seed, "train_sentences": 100},
        "counts": {"train": {"safe": 100}},
        "config": {"seed": seed, "output_dir": f"models/seed-{seed}", "learning_rate": 1e-4} | config,
    }


def test_spread_over_seeds_with_the_published_run_first():
    summary = summarize([fake_report(42, 0.62), fake_report(43, 0.58), fake_report(44, 0.66)], ["a", "b", "c"])
    assert summary["published_seed"] == 42
    assert summary["spread"]["test_macro_f1"]["min"] == pytest.approx(0.58)
    assert summary["spread"]["test_macro_f1"]["max"] == pytest.approx(0.66)
    assert summary["spread"]["test_macro_f1"]["sd"] == pytest.approx(0.04)
    rows = table(summary)
    assert rows[2].startswith("| 42 (published) | 0.840 | 0.670 | 0.620 |")
    assert rows[-1].startswith("| range | 0.840–0.840 | 0.630–0.710 | 0.580–0.660 |")


def test_runs_that_differ_in_more_than_the_seed_are_refused():
    with pytest.raises(SeedRunError, match="b.json: config differs from a.json in learning_rate"):
        summarize([fake_report(42, 0.6), fake_report(43, 0.6, learning_rate=5e-5)], ["a.json", "b.json"])
    stale = fake_report(43, 0.6) | {"counts": {"train": {"safe": 99}}}
    with pytest.raises(SeedRunError, match="other data"):
        summarize([fake_report(42, 0.6), stale], ["a.json", "b.json"])
    with pytest.raises(SeedRunError, match="same seed"):
        summarize([fake_report(42, 0.6), fake_report(42, 0.6)], ["a.json", "b.json"])


def test_bad_report_names_the_file_and_writes_nothing(tmp_path, capsys):
    good, broken, out = tmp_path / "eval.json", tmp_path / "broken.json", tmp_path / "seed_runs.json"
    good.write_text(json.dumps(fake_report(42, 0.6)))
    broken.write_text("{not json")
    with pytest.raises(SystemExit) as exc:
        main([str(good), str(broken), "--out", str(out)])
    assert exc.value.code == 2
    assert "broken.json" in capsys.readouterr().err
    assert not out.exists()


def test_card_leaves_out_seed_runs_made_for_another_checkpoint():
    summary = summarize([fake_report(42, 0.62), fake_report(43, 0.58)], ["a", "b"])
    assert seed_note(fake_report(42, 0.62), summary)[0].startswith("Training the same config on the same corpus with 2 seeds")
    assert seed_note(fake_report(42, 0.70), summary) == []


def test_card_says_when_dev_documents_and_seed_test_rank_the_seeds_differently():
    agree = summarize([fake_report(42, 0.62), fake_report(43, 0.58)], ["a", "b"])
    assert "ranks single runs" not in seed_note(fake_report(42, 0.62), agree)[0]
    crossed = fake_report(43, 0.58)
    crossed["dev_blind_documents"]["macro_f1"] = 0.9
    disagree = summarize([fake_report(42, 0.62), crossed], ["a", "b"])
    assert "neither ranks single runs reliably" in seed_note(fake_report(42, 0.62), disagree)[0]
