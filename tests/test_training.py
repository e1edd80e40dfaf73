"""Training: output folder and refusal of bad data (tiny model); repeatability and resume after a kill (smoke config)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

from claimrisk.config import TrainConfig
from claimrisk.data import DataError
from claimrisk.labels import ID2LABEL


def tiny_config(tmp_path, data_dir, model, **extra):
    values = dict(base_model=str(model), data_dir=str(data_dir), output_dir=str(tmp_path / "out" / "model"),
                  max_length=32, max_steps=6, batch_size=4, eval_batch_size=16, eval_strategy="steps", eval_steps=2,
                  logging_steps=2, learning_rate=1e-3, optim="adamw_torch", save_total_limit=10, seed=7)
    values.update(extra)
    path = tmp_path / "tiny.yaml"
    path.write_text("\n".join(f"{k}: {json.dumps(v)}" for k, v in values.items()) + "\n")
    return path


def test_training_writes_a_standard_checkpoint(tmp_path, data_dir, tiny_model):
    from claimrisk.training import train

    cfg = TrainConfig.load(tiny_config(tmp_path, data_dir, tiny_model))
    metrics = train(cfg)
    out = Path(cfg.output_dir)
    config = json.loads((out / "config.json").read_text())
    assert {int(k): v for k, v in config["id2label"].items()} == ID2LABEL
    for name in ("model.safetensors", "tokenizer.json", "training_config.yaml", "train_metrics.json"):
        assert (out / name).exists(), name
    assert not list(out.glob("*.bin"))
    saved = TrainConfig.load(out / "training_config.yaml")
    assert saved == cfg
    assert "# torch: " in (out / "training_config.yaml").read_text()
    assert metrics["global_step"] == 6 and 0 <= metrics["dev"]["macro_f1"] <= 1
    assert metrics["versions"]["torch"] and metrics["seed"] == 7


def test_reported_dev_scores_are_those_of_the_chosen_checkpoint(tmp_path, data_dir, tiny_model):
    from claimrisk.training import best_dev_scores, build_trainer

    cfg = TrainConfig.load(tiny_config(tmp_path, data_dir, tiny_model))
    trainer = build_trainer(cfg)
    trainer.train()
    logged = best_dev_scores(trainer.state)
    assert logged["eval_macro_f1"] == pytest.approx(trainer.evaluate()["eval_macro_f1"])


def test_without_selection_the_last_weights_are_kept_and_scored_once(tmp_path, data_dir, tiny_model):
    from claimrisk.training import build_trainer, checkpoint_dir, train

    cfg = TrainConfig.load(tiny_config(tmp_path, data_dir, tiny_model, select_best_on_dev=False))
    metrics = train(cfg)
    assert metrics["best_checkpoint_step"] is None and metrics["global_step"] == 6
    scored_at = [entry["step"] for entry in metrics["log_history"] if "eval_macro_f1" in entry]
    assert scored_at == [6], "dev is scored once, after the last step"
    assert sorted(p.name for p in checkpoint_dir(cfg).glob("checkpoint-*")) == ["checkpoint-2", "checkpoint-4", "checkpoint-6"]
    rescored = build_trainer(TrainConfig.load(tiny_config(tmp_path, data_dir, cfg.output_dir))).evaluate()
    assert metrics["dev"]["macro_f1"] == pytest.approx(rescored["eval_macro_f1"])


def unchanged(trained, pretrained, name_suffix):
    """Whether the saved weight whose name ends with ``name_suffix`` is the same in both model folders."""
    from safetensors.torch import load_file

    def weight(folder):
        return next(v for k, v in load_file(str(folder / "model.safetensors")).items() if k.endswith(name_suffix))

    return bool((weight(trained) == weight(pretrained)).all())


def test_frozen_word_embeddings_stay_as_pretrained(tmp_path, data_dir, tiny_model):
    from claimrisk.training import train

    cfg = TrainConfig.load(tiny_config(tmp_path, data_dir, tiny_model, freeze_word_embeddings=True))
    train(cfg)
    out = Path(cfg.output_dir)
    assert unchanged(out, tiny_model, "word_embeddings.weight")
    assert not unchanged(out, tiny_model, "layer.0.attention.self.query.weight")  # the rest of the encoder did train


def test_frozen_bottom_layers_stay_as_pretrained(tmp_path, data_dir, tiny_model):
    from claimrisk.training import train

    cfg = TrainConfig.load(tiny_config(tmp_path, data_dir, tiny_model, freeze_layers=1))
    train(cfg)
    out = Path(cfg.output_dir)
    for fixed in ("position_embeddings.weight", "layer.0.attention.self.query.weight", "layer.0.output.dense.weight"):
        assert unchanged(out, tiny_model, fixed), fixed
    assert not unchanged(out, tiny_model, "layer.1.attention.self.query.weight")


def test_kept_bottom_states_give_the_whole_model_s_logits(data_dir, tiny_model):
    """The frozen layers run once and their output is fed to the layers above: same logits as the whole model."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from claimrisk.cached_bottom import CachedBottomCollator, cache_bottom, top_only
    from claimrisk.data import load_splits

    model = AutoModelForSequenceClassification.from_pretrained(tiny_model).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    dev = load_splits(data_dir)["dev"]
    dev = dev.map(lambda b: tokenizer(b["text"]), batched=True).add_column("row", list(range(len(dev))))
    batch = CachedBottomCollator(cache_bottom(model, 1, dev, 3, bf16=False))([dev[i] for i in range(len(dev))])
    with torch.no_grad():
        with top_only(model, 1):
            from_kept = model(**{k: v for k, v in batch.items() if k != "labels"}).logits
        whole = model(**tokenizer(list(dev["text"]), padding=True, return_tensors="pt")).logits
    assert len(model.bert.encoder.layer) == 2, "the whole model is back after top_only"
    torch.testing.assert_close(from_kept, whole, atol=1e-5, rtol=1e-5)


def test_training_on_kept_bottom_states_matches_recomputing_them(tmp_path, data_dir, tiny_model):
    """Without dropout (the one thing the kept states leave out), both ways of training end at the same weights."""
    from safetensors.torch import load_file
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from claimrisk.training import train

    no_dropout = tmp_path / "no_dropout"
    model = AutoModelForSequenceClassification.from_pretrained(
        tiny_model, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, classifier_dropout=0.0)
    model.save_pretrained(no_dropout)
    AutoTokenizer.from_pretrained(tiny_model).save_pretrained(no_dropout)
    weights = {}
    for cached in (True, False):
        run = tmp_path / f"cached_{cached}"
        run.mkdir()
        cfg = TrainConfig.load(tiny_config(run, data_dir, no_dropout, freeze_layers=1, cache_frozen_layers=cached))
        metrics = train(cfg)
        weights[cached] = (load_file(str(Path(cfg.output_dir) / "model.safetensors")), metrics["dev"]["macro_f1"])
    (kept, kept_f1), (recomputed, recomputed_f1) = weights[True], weights[False]
    assert kept.keys() == recomputed.keys()
    for name in kept:
        assert (kept[name] - recomputed[name]).abs().max() < 1e-4, name
    assert kept_f1 == recomputed_f1


def test_freezing_every_layer_is_refused(tmp_path, data_dir, tiny_model):
    from claimrisk.training import build_trainer

    cfg = TrainConfig.load(tiny_config(tmp_path, data_dir, tiny_model, freeze_layers=2))
    with pytest.raises(ValueError, match="freeze_layers must be between 1 and 1"):
        build_trainer(cfg)


def test_bad_data_is_refused_before_anything_is_written(tmp_path, data_dir, tiny_model):
    from claimrisk.training import train

    with (data_dir / "train.jsonl").open("a") as fh:
        fh.write('{"id": "x", "text": "", "label": "safe", "topic": "t", "genre": "g", "split": "train"}\n')
    cfg = TrainConfig.load(tiny_config(tmp_path, data_dir, tiny_model))
    with pytest.raises(DataError, match="text: missing or empty"):
        train(cfg)
    assert not (tmp_path / "out").exists()


SMOKE = ROOT / "configs" / "smoke.yaml"


def smoke_config(run_dir, data_dir):
    """configs/smoke.yaml (the real bundled encoder, a few steps) pointed at the tiny data, with checkpoints kept."""
    return TrainConfig.load(SMOKE, [f"data_dir={data_dir}", f"output_dir={run_dir / 'model'}", "save_total_limit=10"])


def test_same_seed_same_dev_metrics(tmp_path, data_dir):
    from claimrisk.training import train

    a = train(smoke_config(tmp_path / "a", data_dir))
    b = train(smoke_config(tmp_path / "b", data_dir))
    assert a["dev"]["macro_f1"] == b["dev"]["macro_f1"]
    assert a["dev"]["loss"] == b["dev"]["loss"]


def _train_cmd(run_dir, data_dir, *extra):
    return [sys.executable, str(ROOT / "train" / "train.py"), "--config", str(SMOKE), *extra,
            f"data_dir={data_dir}", f"output_dir={run_dir / 'model'}", "save_total_limit=10"]


def test_killed_training_resumes_to_the_same_result(tmp_path, data_dir):
    """SIGKILL mid-run, then --resume: same step count and dev metrics as an uninterrupted run (tolerance 1e-6 / 1e-4)."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    ref_dir, run_dir = tmp_path / "ref", tmp_path / "run"
    subprocess.run(_train_cmd(ref_dir, data_dir), check=True, env=env, capture_output=True)
    reference = json.loads((ref_dir / "model" / "train_metrics.json").read_text())

    checkpoints = run_dir / "model-checkpoints"
    proc = subprocess.Popen(_train_cmd(run_dir, data_dir), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not (checkpoints / "checkpoint-4").exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (run_dir / "model").exists(), "killed run must not leave a final model"
    # A torn checkpoint (no trainer state) newer than the good ones must be skipped.
    torn = checkpoints / "checkpoint-999"
    torn.mkdir(parents=True)
    (torn / "model.safetensors").write_bytes(b"partial")
    result = subprocess.run(_train_cmd(run_dir, data_dir, "--resume"), env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "skipping incomplete checkpoint" in result.stdout
    assert "resuming from" in result.stdout and "checkpoint-4" in result.stdout
    resumed = json.loads((run_dir / "model" / "train_metrics.json").read_text())
    assert resumed["resumed_from"] is not None
    assert resumed["global_step"] == reference["global_step"] == 8
    assert resumed["dev"]["macro_f1"] == pytest.approx(reference["dev"]["macro_f1"], abs=1e-6)
    assert resumed["dev"]["loss"] == pytest.approx(reference["dev"]["loss"], abs=1e-4)
