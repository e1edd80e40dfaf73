"""Numbers in model_card.md, README.md, reports/eval.md and data/README.md come from commands, not hands."""

import json

import pytest

from conftest import ROOT

from claimrisk.blocks import markers, replace_block
from claimrisk.card import load_beside, readme_results, render_card
from claimrisk.evaluation import render_markdown

REPORT = ROOT / "reports" / "eval.json"


def test_replace_block_keeps_the_prose():
    text = "intro\n<!-- BEGIN x -->\nold\n<!-- END x -->\noutro\n"
    assert replace_block(text, "x", "new") == "intro\n<!-- BEGIN x -->\nnew\n<!-- END x -->\noutro\n"
    assert markers("x")[0] in replace_block("intro", "x", "new")


@pytest.fixture(scope="module")
def report():
    if not REPORT.exists():
        pytest.fail("reports/eval.json is missing: run `make eval card`")
    return json.loads(REPORT.read_text())


def test_model_card_is_generated_from_eval_json(report):
    expected = render_card(report, load_beside(REPORT, "bench.json"), load_beside(REPORT, "seed_runs.json"))
    assert (ROOT / "model_card.md").read_text() == expected, "model_card.md is stale: run `make card`"


def test_eval_md_matches_eval_json(report):
    assert (ROOT / "reports" / "eval.md").read_text() == render_markdown(report)


def test_readme_results_match_eval_json(report):
    readme = (ROOT / "README.md").read_text()
    assert readme_results(report, load_beside(REPORT, "seed_runs.json")).strip() in readme, "README results block is stale: run `make card`"


def test_model_card_front_matter_carries_the_test_scores(report):
    import yaml

    card = (ROOT / "model_card.md").read_text()
    meta = yaml.safe_load(card.split("---\n")[1])
    metrics = {m["name"]: m["value"] for m in meta["model-index"][0]["results"][0]["metrics"]}
    assert metrics["macro-F1 (seed test)"] == round(report["splits"]["test"]["macro_f1"], 4)
    for key in ("license", "language", "library_name", "pipeline_tag", "base_model", "tags", "widget"):
        assert key in meta


def test_data_card_numbers_are_current():
    from claimrisk.datacard import main

    assert main(["--data", str(ROOT / "data"), "--check"]) == 0, "data/README.md is stale: run python -m claimrisk.datacard"


def test_model_card_warns_about_the_class_it_misses_most():
    from claimrisk.card import missed_note

    test = {"safe_recall": 0.8, "hedged_recall": 0.9, "overstated_recall": 0.5, "hazardous_recall": 0.28}
    assert missed_note(test).startswith("- On the seed test split it finds only 28% of the hazardous sentences")


def test_two_annotation_passes_are_compared_by_id_not_by_line_order():
    from claimrisk.metrics import paired_labels

    first = [{"id": "a", "label": "safe"}, {"id": "b", "label": "hazardous"}]
    second = [{"id": "b", "label": "hazardous"}, {"id": "c", "label": "hedged"}, {"id": "a", "label": "hedged"}]
    assert paired_labels(first, second) == (["safe", "hazardous"], ["hedged", "hazardous"])


def test_readme_tagging_excerpt_comes_from_make_tag_seeds():
    readme = (ROOT / "README.md").read_text()
    begin, end = markers("tag-example")
    excerpt = readme.split(begin, 1)[1].split(end, 1)[0].strip().removeprefix("```json").removesuffix("```").strip()
    produced = (ROOT / "reports" / "seeds.jsonl").read_text().splitlines()
    assert excerpt.splitlines() == produced[: len(excerpt.splitlines())]
    assert json.loads(excerpt.splitlines()[0])["record"] == "sentence"


def test_eval_scores_the_double_annotated_dev_documents_apart(tmp_path, data_dir, tiny_model):
    from claimrisk.evaluation import evaluate_checkpoint

    dev = [json.loads(line) for line in (data_dir / "dev.jsonl").read_text().splitlines()]
    blind = dev[:3]
    (data_dir / "audit").mkdir()
    (data_dir / "audit" / "blind_pass1.jsonl").write_text("".join(json.dumps({"id": r["id"], "label": r["label"]}) + "\n" for r in blind))

    report = evaluate_checkpoint(tiny_model, data_dir, tmp_path / "reports", bootstrap=10)
    assert report["dev_blind_documents"]["n"] == 3
    assert report["dev_written_to_label"]["n"] == len(dev) - 3
    assert "3 sentences from double-annotated documents" in (tmp_path / "reports" / "eval.md").read_text()
