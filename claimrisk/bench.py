"""Tagging throughput on this machine, as ratios within one run.

    python -m claimrisk.bench --model models/claimrisk

Tags the same 2,000 sentences (dev sentences, repeated if needed) with
(a) ``transformers.pipeline`` at its defaults, (b) the project's default path
(``Tagger`` with backend auto: ONNX fp32 when exported, else torch) and the
opt-in fast modes (c) bf16 autocast and (d) int8 ONNX, interleaved over
several rounds so drift in machine load hits all of them alike. Absolute numbers depend on the machine; the ratios
b/a and c/a are the headline. Also measured: argmax agreement of each path with
the fp32 torch model, model load time, and the peak RSS of a separate process
that only tags.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from .blocks import update_file
from .data import read_records
from .labels import LABEL2ID
from .tagger import ONNX_INT8_FILE, Tagger

# VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the parent's peak.
PATH_NAMES = {
    "a_pipeline_default": "`transformers.pipeline` defaults",
    "b_claimrisk_default": "claimrisk default",
    "c_bf16_opt_in": "claimrisk `--backend bf16` (opt-in)",
    "d_int8_opt_in": "claimrisk `--backend int8` (opt-in)",
}

RSS_PROBE = """
import sys, json
from claimrisk import Tagger
sentences = json.load(open(sys.argv[2]))
tagger = Tagger.from_pretrained(sys.argv[1])
tagger.predict(sentences)
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"backend": tagger.backend.name, "peak_rss_mb": int(hwm.split()[1]) / 1024,
                  "torch_imported": "torch" in sys.modules, "datasets_imported": "datasets" in sys.modules}))
"""


def split_texts(data_dir: Path, name: str) -> list[str]:
    return [r["text"] for r in read_records(data_dir / name)]


def load_sentences(data_dir: Path, n: int) -> list[str]:
    texts = split_texts(data_dir, "dev.jsonl")
    return (texts * (n // len(texts) + 1))[:n]


def _pipeline_runner(model: Path):
    from transformers import pipeline

    clf = pipeline("text-classification", model=str(model), device="cpu")

    def run(sentences):
        return np.array([LABEL2ID[o["label"]] for o in clf(sentences)])

    return run


def _tagger_runner(tagger: Tagger):
    def run(sentences):
        return tagger.predict_proba(sentences)[0].argmax(1)

    return run


def timed(fn, sentences) -> float:
    """Sentences per second of one call."""
    start = time.perf_counter()
    fn(sentences)
    return len(sentences) / (time.perf_counter() - start)


def peak_rss(model: Path, sentences: list[str], tmp: Path) -> dict:
    probe = tmp / "bench_sentences.json"
    probe.write_text(json.dumps(sentences[:500]))
    out = subprocess.run([sys.executable, "-c", RSS_PROBE, str(model), str(probe)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_bench(model: Path, data_dir: Path, n: int = 2000, rounds: int = 3) -> dict:
    sentences = load_sentences(data_dir, n)
    fp32_torch = _tagger_runner(Tagger.from_pretrained(model, backend="torch"))
    agreement_sets = {"dev": split_texts(data_dir, "dev.jsonl"), "seed_test": split_texts(data_dir, "seeds/test.jsonl")}
    references = {name: fp32_torch(texts) for name, texts in agreement_sets.items()}

    start = time.perf_counter()
    default = Tagger.from_pretrained(model)
    load_s = time.perf_counter() - start
    paths = {
        "a_pipeline_default": _pipeline_runner(model),
        "b_claimrisk_default": _tagger_runner(default),
        "c_bf16_opt_in": _tagger_runner(Tagger.from_pretrained(model, backend="bf16")),
    }
    if (model / ONNX_INT8_FILE).exists():
        paths["d_int8_opt_in"] = _tagger_runner(Tagger.from_pretrained(model, backend="int8"))

    speeds: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(rounds):
        for name, fn in paths.items():
            speeds[name].append(timed(fn, sentences))

    summary = {
        name: {"median": statistics.median(v), "min": min(v), "max": max(v),
               **{f"agreement_{set_name}": float((paths[name](texts) == references[set_name]).mean())
                  for set_name, texts in agreement_sets.items()}}
        for name, v in speeds.items()
    }
    base = summary["a_pipeline_default"]["median"]
    result = {
        "sentences": n,
        "rounds": rounds,
        "default_backend": default.backend.name,
        "paths": summary,
        "ratios": {f"{k[0]}/a": v["median"] / base for k, v in summary.items() if k != "a_pipeline_default"},
        "model_load_s": load_s,
        "seed_articles_tag_s": _time_seed_articles(default, data_dir),
        "inference_only_process": peak_rss(model, sentences, Path(model)),
    }
    train_metrics = model / "train_metrics.json"
    if train_metrics.exists():
        result["training_sentences_per_s"] = json.loads(train_metrics.read_text()).get("train_samples_per_second")
    return result


def _time_seed_articles(tagger: Tagger, data_dir: Path) -> float:
    """Seconds to split and tag all seed articles with an already loaded model (what `claimrisk tag` does)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((data_dir / "seeds").glob("*.txt"))]
    start = time.perf_counter()
    for _ in tagger.tag_many(texts):
        pass
    return time.perf_counter() - start


def training_runs(runs: list[str]) -> dict:
    """Dev macro-F1 and speed of finished training runs given as NAME=FOLDER (e.g. fp32 vs bf16 autocast)."""
    out = {}
    for item in runs:
        name, _, folder = item.partition("=")
        metrics = json.loads((Path(folder) / "train_metrics.json").read_text())
        out[name] = {"folder": folder, "dev_macro_f1": metrics["dev"]["macro_f1"], "train_runtime_s": metrics["train_runtime_s"],
                     "train_samples_per_second": metrics["train_samples_per_second"]}
    return out


def speed_table(result: dict) -> list[str]:
    """The paths side by side; the README, reports/bench.md and the model card all show this table."""
    lines = [
        "| path | sentences/s (median, min–max) | vs pipeline | argmax agreement with fp32 torch: dev | seed test |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    names = PATH_NAMES | {"b_claimrisk_default": f"claimrisk default ({result['default_backend']} fp32)"}
    base = result["paths"]["a_pipeline_default"]["median"]
    for k, v in result["paths"].items():
        lines.append(f"| {names[k]} | {v['median']:.0f} ({v['min']:.0f}–{v['max']:.0f}) | {v['median'] / base:.2f}x "
                     f"| {100 * v['agreement_dev']:.2f}% | {100 * v['agreement_seed_test']:.2f}% |")
    return lines


def markdown(result: dict) -> str:
    lines = [
        f"Tagging {result['sentences']} sentences, {result['rounds']} interleaved rounds:",
        "",
        *speed_table(result),
    ]
    p = result["inference_only_process"]
    lines += ["", f"Model load {result['model_load_s']:.2f} s; tagging the five seed articles after that "
              f"{result['seed_articles_tag_s']:.2f} s; a process that only tags peaks at {p['peak_rss_mb']:.0f} MB RSS "
              f"(torch imported: {p['torch_imported']})."]
    if result.get("training_sentences_per_s"):
        lines.append(f"Training throughput of the default config: {result['training_sentences_per_s']:.1f} sentences/s.")
    if result.get("training_runs"):
        lines += ["", "Training precision, same config and seed otherwise (`make precision-runs`):", "",
                  "| run | dev macro-F1 | training time (s) | training sentences/s |", "| --- | ---: | ---: | ---: |"]
        for name, r in result["training_runs"].items():
            lines.append(f"| {name} | {r['dev_macro_f1']:.3f} | {r['train_runtime_s']:.0f} | {r['train_samples_per_second']:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/claimrisk", type=Path)
    parser.add_argument("--data", default="data", type=Path)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default="reports/bench.json", type=Path)
    parser.add_argument("--readme", default=None, help="also rewrite the bench block of this README")
    parser.add_argument("--training-runs", nargs="*", default=[], metavar="NAME=FOLDER",
                        help="finished training runs to compare (skipped when a folder has no train_metrics.json)")
    args = parser.parse_args(argv)
    result = run_bench(args.model, args.data, args.sentences, args.rounds)
    runs = [r for r in args.training_runs if Path(r.partition("=")[2], "train_metrics.json").exists()]
    if runs:
        result["training_runs"] = training_runs(runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    md = markdown(result)
    args.out.with_suffix(".md").write_text(md)
    if args.readme:
        update_file(args.readme, "bench", md)
    print(md)


if __name__ == "__main__":
    main()
