"""Fine-tune the encoder on the corpus with the transformers Trainer.

The loop is the Trainer's (accelerate underneath, so the same code runs on one
CPU, under ``torchrun``/``accelerate launch`` with several processes, or on
GPUs). What this module adds is what the product needs around it:

* data is validated before anything is written (``claimrisk.data``);
* class-weighted cross-entropy, so a skewed corpus does not buy accuracy by
  ignoring the rare risky labels;
* dev macro-F1, never the seed test split, is what picks the checkpoint kept
  (``select_best_on_dev``), or, when that is off, what the last one is scored on;
* checkpoints are written under a temporary name and renamed, so a killed run
  leaves either a whole checkpoint or none, and ``resume`` picks the newest
  whole one;
* the final folder is a plain HF checkpoint (safetensors, tokenizer, config
  with the four labels) plus the resolved config and training metrics, and is
  also written under a temporary name and renamed at the end.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import time
from pathlib import Path

import numpy as np
import torch
from transformers import DataCollatorWithPadding, Trainer, TrainingArguments, set_seed
from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR, rotate_checkpoints

from .cached_bottom import CachedBottomCollator, cache_bottom, encoder_layers, top_only
from .config import TrainConfig
from .data import load_splits
from .labels import LABELS
from .metrics import classification_report
from .modeling import load_classifier, load_tokenizer

STAGING = ".staging"


def checkpoint_dir(cfg: TrainConfig) -> Path:
    out = Path(cfg.output_dir)
    return out.with_name(out.name + "-checkpoints")


def library_versions() -> dict[str, str]:
    import accelerate
    import datasets
    import transformers

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "datasets": datasets.__version__,
        "accelerate": accelerate.__version__,
    }


def is_complete_checkpoint(path: Path) -> bool:
    """A checkpoint is whole when its weights exist and its trainer state (written last) parses."""
    try:
        json.loads((path / "trainer_state.json").read_text())
    except (OSError, ValueError):
        return False
    return (path / "model.safetensors").is_file()


def latest_checkpoint(run_dir: Path) -> Path | None:
    """Newest whole checkpoint in ``run_dir``; torn ones are reported and skipped."""
    if not run_dir.is_dir():
        return None
    candidates = []
    for path in run_dir.glob(f"{PREFIX_CHECKPOINT_DIR}-*"):
        step = path.name.rsplit("-", 1)[-1]
        if path.is_dir() and step.isdigit():
            candidates.append((int(step), path))
    for _, path in sorted(candidates, reverse=True):
        if is_complete_checkpoint(path):
            return path
        print(f"claimrisk: skipping incomplete checkpoint {path}")
    return None


def weighted_loss(weights: torch.Tensor, smoothing: float):
    def loss(outputs, labels, num_items_in_batch=None):
        logits = outputs["logits"] if isinstance(outputs, dict) else outputs.logits
        return torch.nn.functional.cross_entropy(
            logits.float(), labels, weight=weights.to(logits.device), label_smoothing=smoothing
        )

    return loss


def compute_metrics(eval_pred) -> dict[str, float]:
    logits, labels = eval_pred
    return classification_report(np.argmax(logits, axis=-1), labels)


class AtomicCheckpointTrainer(Trainer):
    """Writes each checkpoint into a staging folder, then renames it into place.

    With ``cached_layers`` set, every forward pass (training and evaluation) runs
    on the frozen layers' kept output (``claimrisk.cached_bottom``); checkpoints
    and the final folder are written outside those passes, so they hold the
    whole model.
    """

    def __init__(self, *args, cached_layers: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.cached_layers = cached_layers

    def compute_loss_context_manager(self):
        stack = super().compute_loss_context_manager()
        if self.cached_layers:
            stack.enter_context(top_only(self.model, self.cached_layers))
        return stack

    def _save_checkpoint(self, model, trial):
        run_dir = Path(self._get_output_dir(trial=trial))
        staging = run_dir / STAGING
        name = f"{PREFIX_CHECKPOINT_DIR}-{self.state.global_step}"
        original = self.args.output_dir
        if self.args.should_save:
            shutil.rmtree(staging, ignore_errors=True)
        self.args.output_dir = str(staging)
        try:
            super()._save_checkpoint(model, trial)
        finally:
            self.args.output_dir = original
        if not self.args.should_save:
            return
        final = run_dir / name
        if self.state.best_model_checkpoint and Path(self.state.best_model_checkpoint).parent == staging:
            self.state.best_model_checkpoint = str(final)
            self.state.save_to_json(str(staging / name / "trainer_state.json"))
        if final.exists():
            shutil.rmtree(final)
        os.replace(staging / name, final)
        shutil.rmtree(staging, ignore_errors=True)
        rotate_checkpoints(
            output_dir=str(run_dir),
            save_total_limit=self.args.save_total_limit,
            best_model_checkpoint=self.state.best_model_checkpoint,
        )


def freeze_bottom(model, n_layers: int) -> None:
    """Fix the embeddings and the lowest encoder layers.

    Autograd then never walks below the first trainable layer, so each frozen
    layer costs only its forward pass: that, not the parameter count, is the saving.
    """
    base = model.base_model
    _, _, layers = encoder_layers(model)
    if not hasattr(base, "embeddings"):
        raise ValueError(f"freeze_layers: cannot find the embeddings of {type(base).__name__}")
    if not 0 < n_layers < len(layers):
        raise ValueError(f"freeze_layers must be between 1 and {len(layers) - 1}, got {n_layers}")
    base.embeddings.requires_grad_(False)
    for layer in layers[:n_layers]:
        layer.requires_grad_(False)


def build_trainer(cfg: TrainConfig, splits=None) -> Trainer:
    set_seed(cfg.seed)
    splits = splits if splits is not None else load_splits(cfg.data_dir)
    train_ds, dev_ds = splits["train"], splits["dev"]
    if cfg.train_limit:
        train_ds = train_ds.shuffle(seed=cfg.seed).select(range(min(cfg.train_limit, len(train_ds))))
    if cfg.dev_limit:
        dev_ds = dev_ds.select(range(min(cfg.dev_limit, len(dev_ds))))

    tokenizer = load_tokenizer(cfg.base_model, cfg.revision)

    def tokenize(batch):
        enc = tokenizer(batch["text"], truncation=True, max_length=cfg.max_length)
        enc["length"] = [len(ids) for ids in enc["input_ids"]]
        return enc

    keep = {"input_ids", "attention_mask", "token_type_ids", "label", "length"}
    train_ds = train_ds.map(tokenize, batched=True)
    dev_ds = dev_ds.map(tokenize, batched=True)
    train_ds = train_ds.remove_columns([c for c in train_ds.column_names if c not in keep])
    dev_ds = dev_ds.remove_columns([c for c in dev_ds.column_names if c not in keep])

    counts = np.bincount(np.asarray(train_ds["label"]), minlength=len(LABELS)).astype(np.float64)
    if cfg.class_weighting == "balanced":
        weights = counts.sum() / (len(LABELS) * np.maximum(counts, 1))
    else:
        weights = np.ones(len(LABELS))

    model = load_classifier(cfg.base_model, cfg.revision)
    if cfg.freeze_word_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    if cfg.freeze_layers:
        freeze_bottom(model, cfg.freeze_layers)
    cached_layers = cfg.freeze_layers if cfg.cache_frozen_layers else 0
    args = TrainingArguments(
        output_dir=str(checkpoint_dir(cfg)),
        seed=cfg.seed,
        data_seed=cfg.seed,
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps,
        learning_rate=cfg.learning_rate,
        weight_decay=cfg.weight_decay,
        warmup_steps=cfg.warmup_ratio,
        per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=cfg.eval_batch_size,
        gradient_accumulation_steps=cfg.gradient_accumulation_steps,
        optim=cfg.optim,
        bf16=cfg.bf16,
        use_cpu=cfg.use_cpu,
        train_sampling_strategy="group_by_length" if cfg.group_by_length else "random",
        eval_strategy=cfg.eval_strategy if cfg.select_best_on_dev else "no",
        eval_steps=cfg.eval_steps,
        save_strategy=cfg.eval_strategy,
        save_steps=cfg.eval_steps,
        save_total_limit=cfg.save_total_limit,
        load_best_model_at_end=cfg.select_best_on_dev,
        metric_for_best_model="macro_f1" if cfg.select_best_on_dev else None,
        greater_is_better=True,
        logging_steps=cfg.logging_steps,
        report_to="none",
        dataloader_num_workers=cfg.dataloader_num_workers,
        ddp_backend="gloo" if cfg.use_cpu and int(os.environ.get("WORLD_SIZE", "1")) > 1 else None,
        remove_unused_columns=not cached_layers,  # the cached-bottom collator picks its own fields
        ddp_broadcast_buffers=False if cached_layers else None,  # the swapped-out embeddings hold the buffers; they never change
    )
    collator = DataCollatorWithPadding(tokenizer)
    if cached_layers:
        model.to(args.device)
        train_ds = train_ds.add_column("row", list(range(len(train_ds))))
        dev_ds = dev_ds.add_column("row", list(range(len(train_ds), len(train_ds) + len(dev_ds))))
        collator = CachedBottomCollator([state for ds in (train_ds, dev_ds)
                                         for state in cache_bottom(model, cached_layers, ds, cfg.eval_batch_size, cfg.bf16)])
    return AtomicCheckpointTrainer(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=dev_ds,
        processing_class=tokenizer,
        data_collator=collator,
        compute_loss_func=weighted_loss(torch.tensor(weights, dtype=torch.float32), cfg.label_smoothing),
        compute_metrics=compute_metrics,
        cached_layers=cached_layers,
    )


def best_dev_scores(state) -> dict | None:
    """The chosen checkpoint's dev scores from the training log, so the best model is not scored twice (a dev pass each run)."""
    for entry in state.log_history:
        if state.best_global_step is not None and entry.get("step") == state.best_global_step and "eval_macro_f1" in entry:
            return {k: v for k, v in entry.items() if k.startswith("eval_")}
    return None


def train(cfg: TrainConfig, resume: bool = False) -> dict:
    """Train, keep the best dev checkpoint (or the last), write the final model folder; returns its metrics."""
    splits = load_splits(cfg.data_dir)  # before anything is written
    started = time.perf_counter()  # building the trainer counts: it runs the frozen layers over the corpus
    trainer = build_trainer(cfg, splits)
    resume_from = latest_checkpoint(checkpoint_dir(cfg)) if resume else None
    if resume and resume_from is None:
        print("claimrisk: no complete checkpoint to resume from; starting from scratch")
    elif resume_from is not None:
        print(f"claimrisk: resuming from {resume_from}")
    result = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    seconds = time.perf_counter() - started
    sentences_seen = result.metrics["train_samples_per_second"] * result.metrics["train_runtime"]
    dev = best_dev_scores(trainer.state) or trainer.evaluate()
    metrics = {
        "train_runtime_s": round(seconds, 1),
        "train_samples_per_second": round(sentences_seen / seconds, 2),
        "global_step": trainer.state.global_step,
        "best_checkpoint_step": trainer.state.best_global_step,
        "train_sentences": len(trainer.train_dataset),
        "dev_sentences": len(trainer.eval_dataset),
        "dev": {k.removeprefix("eval_"): v for k, v in dev.items()},
        "log_history": trainer.state.log_history,
        "seed": cfg.seed,
        "versions": library_versions(),
        "resumed_from": str(resume_from) if resume_from else None,
    }
    if trainer.is_world_process_zero():
        write_model_folder(trainer, cfg, metrics)
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()
    return metrics


def write_model_folder(trainer: Trainer, cfg: TrainConfig, metrics: dict) -> Path:
    out = Path(cfg.output_dir)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    trainer.save_model(str(tmp))  # weights, config (id2label), tokenizer
    provenance = "".join(f"# {name}: {version}\n" for name, version in metrics["versions"].items())
    (tmp / "training_config.yaml").write_text(cfg.to_yaml() + "# library versions of this run\n" + provenance, encoding="utf-8")
    (tmp / "train_metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    for stale in ("training_args.bin",):  # a pickle: not part of what we publish
        (tmp / stale).unlink(missing_ok=True)
    if out.exists():
        shutil.rmtree(out)
    os.replace(tmp, out)
    return out
