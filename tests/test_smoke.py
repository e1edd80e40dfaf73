"""The real bundled encoder, fine-tuned for a few steps, then loaded the way users load it."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT, make_data_dir

from claimrisk.labels import LABELS

pytestmark = pytest.mark.smoke


def test_smoke_config_trains_bundled_encoder_and_loads_through_pipeline(tmp_path):
    from transformers import pipeline

    from claimrisk import Tagger

    data = make_data_dir(tmp_path / "data")
    out = tmp_path / "smoke"
    result = subprocess.run(
        [sys.executable, str(ROOT / "train" / "train.py"), "--config", str(ROOT / "configs" / "smoke.yaml"),
         f"data_dir={data}", f"output_dir={out}"],
        capture_output=True, text=True, env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "dev macro-F1" in result.stdout
    clf = pipeline("text-classification", model=str(out))
    assert clf("Take 3 grams twice a day.")[0]["label"] in LABELS
    tagged = Tagger.from_pretrained(out).tag("Kratom Guide\nIt may ease pain.")
    assert [s.text for s in tagged] == ["Kratom Guide", "It may ease pain."]


LAUNCHERS = {
    "torchrun": [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29533"],
    "accelerate": [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
                   "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no", "--main_process_port", "29534"],
}


@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
def test_two_process_training(tmp_path, launcher):
    """The same entry point under a 2-process launcher (gloo on CPU), a few steps."""
    from conftest import build_tiny_model

    data = make_data_dir(tmp_path / "data")
    model = build_tiny_model(tmp_path / "tiny")
    out = tmp_path / "ddp"
    result = subprocess.run(
        [*LAUNCHERS[launcher],
         str(ROOT / "train" / "train.py"), "--config", str(ROOT / "configs" / "smoke.yaml"),
         f"base_model={model}", f"data_dir={data}", f"output_dir={out}", "max_steps=4", "eval_steps=2", "batch_size=4",
         "freeze_layers=1"],  # the tiny model has two layers; still the kept-bottom path, under DDP
        capture_output=True, text=True, env=os.environ | {"PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "abort" not in result.stderr.lower()
    assert result.stdout.count("model written to") == 1, result.stdout[-2000:]  # rank 0 reports once
    assert (out / "model.safetensors").exists()
