"""Tag sentences and documents with a trained claimrisk checkpoint.

    from claimrisk import Tagger
    tagger = Tagger.from_pretrained("models/claimrisk")
    tagger.predict(["Kratom cures anxiety."])          # labels + probabilities
    tagger.tag(article_text)                            # sentences with offsets

Inference tokenizes with the ``tokenizers`` library and sorts each batch by
length so padding stays short (padding every batch to 128 tokens costs about
2.5x on CPU). The arithmetic runs in ONNX Runtime when the checkpoint folder
holds ``model.onnx`` (written by ``make onnx``, checked against torch at
export), otherwise in torch; both give the same argmax. Importing this module
pulls in neither torch nor transformers, so a tagging-only process stays small.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .labels import LABELS
from .segment import split_sentences

BACKENDS = ("auto", "torch", "onnx", "bf16", "int8")
ONNX_FILE = "model.onnx"
ONNX_INT8_FILE = "model.int8.onnx"


@dataclass
class Prediction:
    label: str
    probabilities: dict[str, float]
    truncated: bool = False


@dataclass
class TaggedSentence:
    index: int
    start: int
    end: int
    text: str
    label: str
    probabilities: dict[str, float]
    truncated: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Encoded:
    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray
    truncated: list[bool] = field(default_factory=list)


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _by_label(probabilities: np.ndarray) -> dict[str, float]:
    return {label: float(p) for label, p in zip(LABELS, probabilities)}


def local_model_dir(name_or_path: str | Path, revision: str | None = None) -> Path:
    """A local folder as is; a Hub id downloaded (safetensors/ONNX/JSON only, never pickles)."""
    path = Path(name_or_path)
    if path.is_dir():
        return path
    if path.exists():
        raise FileNotFoundError(f"{path}: expected a model folder, found a file")
    if str(name_or_path).startswith((".", "/", "~")) or str(name_or_path).count("/") > 1:
        raise FileNotFoundError(f"{path}: no such model folder")
    from huggingface_hub import snapshot_download

    return Path(
        snapshot_download(
            str(name_or_path),
            revision=revision,
            allow_patterns=["*.json", "*.safetensors", "*.onnx", "*.txt", "*.yaml", "*.model"],
        )
    )


class _TorchBackend:
    """The fp32 torch model; with ``bf16`` it runs under bf16 autocast (opt-in, fast on AVX-512-BF16/AMX CPUs)."""

    def __init__(self, folder: Path, bf16: bool = False):
        import contextlib

        import torch
        from transformers.utils import logging as hf_logging

        from .modeling import load_classifier

        hf_logging.disable_progress_bar()
        self.torch = torch
        self.name = "bf16" if bf16 else "torch"
        self._precision = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if bf16 else contextlib.nullcontext
        self.model = load_classifier(str(folder)).eval()

    def logits(self, enc: _Encoded) -> np.ndarray:
        torch = self.torch
        with torch.inference_mode(), self._precision():
            out = self.model(
                input_ids=torch.from_numpy(enc.input_ids),
                attention_mask=torch.from_numpy(enc.attention_mask),
                token_type_ids=torch.from_numpy(enc.token_type_ids),
            )
        return out.logits.float().numpy()


class _OnnxBackend:
    name = "onnx"

    def __init__(self, model_file: Path, threads: int | None = None):
        import onnxruntime as ort

        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.file = model_file

    def logits(self, enc: _Encoded) -> np.ndarray:
        feed = {"input_ids": enc.input_ids, "attention_mask": enc.attention_mask, "token_type_ids": enc.token_type_ids}
        return self.session.run(["logits"], {k: v for k, v in feed.items() if k in self.inputs})[0]


class Tagger:
    def __init__(self, folder: Path, backend, max_length: int = 128, batch_size: int = 32):
        from tokenizers import Tokenizer

        self.folder = folder
        self.backend = backend
        self.max_length = max_length
        self.batch_size = batch_size
        config = json.loads((folder / "config.json").read_text())
        id2label = {int(k): v for k, v in config.get("id2label", {}).items()}
        if [id2label.get(i) for i in range(len(LABELS))] != list(LABELS):
            raise ValueError(f"{folder}: config.json id2label {id2label} is not the claimrisk label set {LABELS}")
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length)
        tok_cfg = json.loads((folder / "tokenizer_config.json").read_text()) if (folder / "tokenizer_config.json").exists() else {}
        pad_token = tok_cfg.get("pad_token") or "[PAD]"
        pad_token = pad_token.get("content") if isinstance(pad_token, dict) else pad_token
        # Truncation is configured once, here: after that one Tagger is safe to share between threads.
        self._pad_id = self._tokenizer.token_to_id(pad_token) or 0

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str | Path,
        revision: str | None = None,
        backend: str = "auto",
        batch_size: int = 32,
        threads: int | None = None,
    ) -> "Tagger":
        """Load a checkpoint folder or Hub id.

        ``backend``: ``auto`` (ONNX fp32 if exported, else torch fp32: both give the
        fp32 model's predictions), ``torch``, ``onnx``, or the opt-in fast modes
        ``bf16`` (torch under bf16 autocast) and ``int8`` (dynamically quantised
        ONNX), which may change a few predictions: ``make bench`` measures how many.
        """
        folder = local_model_dir(name_or_path, revision)
        from .modeling import check_weights_are_safe

        check_weights_are_safe(folder)
        max_length = 128
        cfg_file = folder / "training_config.yaml"
        if cfg_file.exists():
            import yaml

            max_length = int((yaml.safe_load(cfg_file.read_text()) or {}).get("max_length", max_length))
        if backend == "auto":
            backend = "onnx" if (folder / ONNX_FILE).exists() else "torch"
        if backend in ("torch", "bf16"):
            impl = _TorchBackend(folder, bf16=backend == "bf16")
        elif backend in ("onnx", "int8"):
            file = folder / (ONNX_FILE if backend == "onnx" else ONNX_INT8_FILE)
            if not file.exists():
                raise FileNotFoundError(f"{file}: not exported yet (run `make onnx`)")
            impl = _OnnxBackend(file, threads)
        else:
            raise ValueError(f"unknown backend {backend!r}: expected one of {', '.join(BACKENDS)}")
        return cls(folder, impl, max_length=max_length, batch_size=batch_size)

    # -- sentences -------------------------------------------------------

    def _encode(self, sentences: list[str]) -> list:
        return self._tokenizer.encode_batch(sentences)

    def _batch(self, encodings: list) -> _Encoded:
        width = max(len(e.ids) for e in encodings)
        n = len(encodings)
        ids = np.full((n, width), self._pad_id, dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.int64)
        types = np.zeros((n, width), dtype=np.int64)
        for i, e in enumerate(encodings):
            k = len(e.ids)
            ids[i, :k] = e.ids
            mask[i, :k] = 1
            types[i, :k] = e.type_ids
        return _Encoded(ids, mask, types, [bool(e.overflowing) for e in encodings])

    def logits(self, sentences: list[str]) -> tuple[np.ndarray, list[bool]]:
        """Raw logits (n, 4) in label order, and whether each sentence was cut to the model's window."""
        if not sentences:
            return np.zeros((0, len(LABELS)), dtype=np.float32), []
        encodings = self._encode(list(sentences))
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        logits = np.zeros((len(encodings), len(LABELS)), dtype=np.float32)
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            logits[idx] = self.backend.logits(self._batch([encodings[i] for i in idx]))
        return logits, [bool(e.overflowing) for e in encodings]

    def predict_proba(self, sentences: list[str]) -> tuple[np.ndarray, list[bool]]:
        """Probabilities (n, 4) in label order, and whether each sentence was cut to the model's window."""
        logits, truncated = self.logits(sentences)
        return _softmax(logits), truncated

    def predict(self, sentences: Iterable[str]) -> list[Prediction]:
        sentences = list(sentences)
        probs, truncated = self.predict_proba(sentences)
        return [Prediction(LABELS[int(p.argmax())], _by_label(p), t) for p, t in zip(probs, truncated)]

    # -- documents -------------------------------------------------------

    def tag(self, text: str) -> list[TaggedSentence]:
        """Every sentence of ``text`` with its character offsets, label and probabilities."""
        return next(self.tag_many([text]))

    def tag_many(self, texts: Iterable[str], batch_sentences: int = 512) -> Iterator[list[TaggedSentence]]:
        """Tag documents lazily, one result list per input text, in order.

        Sentences from consecutive documents share model batches, but only
        about ``batch_sentences`` are held at once, so memory stays bounded
        however long the input iterable is.
        """
        pending: list[tuple[str, list]] = []
        size = 0
        for text in texts:
            spans = split_sentences(text)
            pending.append((text, spans))
            size += len(spans)
            if size >= batch_sentences:
                yield from self._flush(pending)
                pending, size = [], 0
        if pending:
            yield from self._flush(pending)

    def _flush(self, pending: list[tuple[str, list]]) -> Iterator[list[TaggedSentence]]:
        sentences = [s.text for _, spans in pending for s in spans]
        probs, truncated = self.predict_proba(sentences)
        k = 0
        for _, spans in pending:
            out = []
            for i, s in enumerate(spans):
                p = probs[k]
                out.append(
                    TaggedSentence(
                        i, s.start, s.end, s.text, LABELS[int(p.argmax())], _by_label(p), truncated[k]
                    )
                )
                k += 1
            yield out
