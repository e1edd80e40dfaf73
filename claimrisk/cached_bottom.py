"""Run the frozen bottom of the encoder once per sentence, not once per epoch.

With ``freeze_layers: N`` the embeddings and the lowest N layers never change,
so their output for a sentence is the same in every epoch; recomputing it was
about a third of each training step on this CPU. ``cache_bottom`` runs them once
(inference mode, under the same autocast as training) and keeps each sentence's
states; while the Trainer runs, ``top_only`` swaps a pass-through in for the
embeddings and leaves only the layers above N in the encoder, so the model's own
forward (attention masks, pooler, head) runs on the kept states. Nothing is
rewritten per architecture: the swap uses the same embeddings and layer list
that ``freeze_layers`` fixes.

The one difference from recomputing: dropout inside the frozen layers is not
applied, because they run once in inference mode, so the top layers see the same
input for a sentence in every epoch.
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext

import torch
from torch import nn


def encoder_layers(model) -> tuple[nn.Module, str, nn.ModuleList]:
    """The module holding the encoder's layer list, the attribute's name, and the list itself."""
    for module in model.base_model.modules():
        for name, child in module.named_children():
            if isinstance(child, nn.ModuleList) and len(child) == model.config.num_hidden_layers:
                return module, name, child
    raise ValueError(f"freeze_layers: cannot find the encoder layers of {type(model.base_model).__name__}")


class _PassThrough(nn.Module):
    """Stands in for the embeddings: what it is given as ``inputs_embeds`` is already the frozen layers' output."""

    def forward(self, input_ids=None, inputs_embeds=None, **_):
        return inputs_embeds


@contextmanager
def _layers(model, keep: slice, embeddings: nn.Module | None = None):
    base = model.base_model
    parent, name, layers = encoder_layers(model)
    original = base.embeddings
    setattr(parent, name, nn.ModuleList(list(layers)[keep]))
    if embeddings is not None:
        base.embeddings = embeddings
    try:
        yield
    finally:
        setattr(parent, name, layers)
        base.embeddings = original


def top_only(model, n_frozen: int):
    """Inside this, the model takes the frozen layers' output as ``inputs_embeds`` and runs only the layers above."""
    return _layers(model, slice(n_frozen, None), _PassThrough())


@torch.no_grad()  # not inference_mode: the states feed layers that are trained
def cache_bottom(model, n_frozen: int, dataset, batch_size: int, bf16: bool) -> list[torch.Tensor]:
    """Each example's output of the embeddings and the bottom ``n_frozen`` layers, unpadded, in dataset order."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    ids = list(dataset["input_ids"])
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # little padding per batch
    states: list[torch.Tensor | None] = [None] * len(ids)
    autocast = torch.autocast(device.type, dtype=torch.bfloat16) if bf16 else nullcontext()
    with _layers(model, slice(0, n_frozen)), autocast:
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            batch = pad([torch.tensor(ids[i]) for i in rows], model.config.pad_token_id or 0)
            mask = pad([torch.ones(len(ids[i]), dtype=torch.long) for i in rows])
            hidden = model.base_model(input_ids=batch.to(device), attention_mask=mask.to(device)).last_hidden_state
            for row, h, n in zip(rows, hidden.float().cpu(), mask.sum(1).tolist()):
                states[row] = h[:n].clone()
    model.train(was_training)
    return states


def pad(tensors: list[torch.Tensor], value: float = 0) -> torch.Tensor:
    return nn.utils.rnn.pad_sequence(tensors, batch_first=True, padding_value=value)


class CachedBottomCollator:
    """Batches the kept states of the examples' ``row`` (an index into ``states``) for a model inside ``top_only``."""

    def __init__(self, states: list[torch.Tensor]):
        self.states = states

    def __call__(self, features: list[dict]) -> dict[str, torch.Tensor]:
        hidden = [self.states[f["row"]] for f in features]
        return {
            "inputs_embeds": pad(hidden),
            "attention_mask": pad([torch.ones(len(h), dtype=torch.long) for h in hidden]),
            "labels": torch.tensor([f["label"] for f in features], dtype=torch.long),
        }
