"""Export a checkpoint to ONNX for fast CPU tagging, and prove it agrees with torch.

    python -m claimrisk.export --model models/claimrisk [--int8]

``model.onnx`` (fp32) is written next to the weights only if, on a probe set
of sentences (the dev split when present), its argmax equals torch's on every
sentence and its logits differ by at most ``TOLERANCE``. ``Tagger`` then picks
it up automatically. ``--int8`` also writes ``model.int8.onnx`` (dynamic
int8 quantisation), an opt-in mode: its agreement is measured, printed and
kept in ``onnx_check.json``, not required.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

from .data import read_records
from .tagger import ONNX_FILE, ONNX_INT8_FILE, Tagger

TOLERANCE = 1e-4


def probe_sentences(data_dir: Path, limit: int = 2000) -> list[str]:
    path = data_dir / "dev.jsonl"
    if path.exists():
        return [r["text"] for r in read_records(path)[:limit]]
    return [
        "Take 2 grams of the powder twice a day.",
        "Some studies suggest it may ease pain.",
        "It cures anxiety.",
        "What is valerian?",
    ]


def export_onnx(model_dir: Path, out: Path) -> None:
    import torch

    from .modeling import load_classifier

    model = load_classifier(str(model_dir)).eval()
    model.config.return_dict = True
    sample = {
        "input_ids": torch.ones(2, 16, dtype=torch.long),
        "attention_mask": torch.ones(2, 16, dtype=torch.long),
        "token_type_ids": torch.zeros(2, 16, dtype=torch.long),
    }
    tmp = out.with_name(out.name + ".tmp")

    class Logits(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    with torch.inference_mode():
        torch.onnx.export(
            Logits(model),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(tmp),
            input_names=list(sample),
            output_names=["logits"],
            dynamic_axes={name: {0: "batch", 1: "seq"} for name in sample} | {"logits": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, out)


def compare(reference: Tagger, candidate: Tagger, sentences: list[str]) -> dict:
    ref_logits, _ = reference.logits(sentences)
    cand_logits, _ = candidate.logits(sentences)
    agree = float((ref_logits.argmax(1) == cand_logits.argmax(1)).mean())
    return {"sentences": len(sentences), "argmax_agreement": agree, "max_abs_logit_diff": float(np.abs(ref_logits - cand_logits).max())}


def quantize_int8(fp32: Path, out: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = out.with_name(out.name + ".tmp")
    quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
    os.replace(tmp, out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/claimrisk")
    parser.add_argument("--data", default="data")
    parser.add_argument("--int8", action="store_true", help="also write the opt-in int8 model")
    args = parser.parse_args(argv)
    model_dir = Path(args.model)
    staged = model_dir / (ONNX_FILE + ".candidate")
    export_onnx(model_dir, staged)
    reference = Tagger.from_pretrained(model_dir, backend="torch")
    probe = probe_sentences(Path(args.data))
    candidate = Tagger(model_dir, _staged_backend(staged), max_length=reference.max_length)
    check = {"fp32": compare(reference, candidate, probe), "tolerance": TOLERANCE}
    ok = check["fp32"]["argmax_agreement"] == 1.0 and check["fp32"]["max_abs_logit_diff"] <= TOLERANCE
    if not ok:
        staged.unlink(missing_ok=True)
        print(f"ONNX export rejected, torch stays the backend: {check['fp32']}")
        return 1
    os.replace(staged, model_dir / ONNX_FILE)
    print(f"wrote {model_dir / ONNX_FILE}: {check['fp32']}")
    if args.int8:
        quantize_int8(model_dir / ONNX_FILE, model_dir / ONNX_INT8_FILE)
        check["int8"] = compare(reference, Tagger.from_pretrained(model_dir, backend="int8"), probe)
        print(f"wrote {model_dir / ONNX_INT8_FILE} (opt-in): {check['int8']}")
    (model_dir / "onnx_check.json").write_text(json.dumps(check, indent=2))
    return 0


def _staged_backend(path: Path):
    from .tagger import _OnnxBackend

    return _OnnxBackend(path)


if __name__ == "__main__":
    raise SystemExit(main())
