import pytest

from claimrisk.config import ConfigError, TrainConfig
from claimrisk.labels import ID2LABEL, LABEL2ID, LABELS

ROOT_CONFIGS = ["configs/default.yaml", "configs/smoke.yaml", "configs/gpu.yaml"]


def test_labels_are_in_risk_order():
    assert LABELS == ("safe", "hedged", "overstated", "hazardous")
    assert ID2LABEL[3] == "hazardous"
    assert LABEL2ID["hedged"] < LABEL2ID["overstated"]


@pytest.mark.parametrize("path", ROOT_CONFIGS)
def test_shipped_configs_load(path):
    from conftest import ROOT

    cfg = TrainConfig.load(ROOT / path)
    assert cfg.max_length > 0


def test_overrides_are_typed(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("epochs: 2\n")
    cfg = TrainConfig.load(path, ["learning_rate=3e-5", "bf16=true", "train_limit=10"])
    assert cfg.learning_rate == 3e-5 and cfg.bf16 is True and cfg.train_limit == 10 and cfg.epochs == 2


def test_unknown_key_is_named(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("learning_rat: 0.1\n")
    with pytest.raises(ConfigError, match="learning_rat"):
        TrainConfig.load(path)


def test_mistyped_value_is_named(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("epochs: lots\n")
    with pytest.raises(ConfigError, match="epochs"):
        TrainConfig.load(path)


def test_bad_override_syntax(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("{}\n")
    with pytest.raises(ConfigError, match="key=value"):
        TrainConfig.load(path, ["epochs"])
