"""Training configuration: YAML files in ``configs/`` read into one typed object.

pydantic does the checking, so a misspelt key or a value of the wrong type
fails at start-up with the key named, not an hour into training.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

BUNDLED_ENCODER = "bundled:all-MiniLM-L6-v2"


class ConfigError(ValueError):
    pass


class TrainConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # model
    base_model: str = BUNDLED_ENCODER  # local folder, Hub id, or the bundled encoder
    revision: str | None = None  # pin a Hub model to a commit or tag
    max_length: int = 128

    # data
    data_dir: str = "data"
    train_limit: int | None = None  # take the first N training rows (smoke tests)
    dev_limit: int | None = None

    # optimisation
    seed: int = 42
    epochs: float = 4.0
    max_steps: int = -1  # > 0 overrides epochs
    learning_rate: float = 5e-5
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    batch_size: int = 32
    eval_batch_size: int = 128
    gradient_accumulation_steps: int = 1
    class_weighting: Literal["balanced", "none"] = "balanced"
    label_smoothing: float = 0.0
    group_by_length: bool = True
    freeze_word_embeddings: bool = False  # words unseen in training keep their pretrained neighbours; half the weights stay fixed
    freeze_layers: int = 0  # also fix all embeddings and the bottom N encoder layers: backward stops above them
    cache_frozen_layers: bool = True  # with freeze_layers, run the frozen layers once per sentence, not once per epoch
    optim: str = "adamw_torch_fused"

    # hardware
    bf16: bool = False  # bf16 autocast; on CPU needs AVX-512-BF16/AMX to pay off
    use_cpu: bool = True
    dataloader_num_workers: int = 0

    # bookkeeping
    output_dir: str = "models/claimrisk"
    eval_strategy: Literal["epoch", "steps"] = "epoch"  # when checkpoints are written (and dev scored, see below)
    select_best_on_dev: bool = True  # score dev at each checkpoint and keep the best; off: keep the last weights, score dev once
    eval_steps: int | None = None
    save_total_limit: int = 2
    logging_steps: int = 25

    @classmethod
    def load(cls, path: str | Path, overrides: list[str] | None = None) -> "TrainConfig":
        """Read ``path`` and apply ``key=value`` overrides (values parsed as YAML)."""
        path = Path(path)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: cannot read config: {exc}") from None
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: expected a mapping of keys to values")
        for item in overrides or []:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise ConfigError(f"override {item!r}: expected key=value")
            raw[key.strip()] = yaml.safe_load(value)
        try:
            return cls(**raw)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise ConfigError(f"{path}: {problems}") from None

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(), sort_keys=False)
