"""ONNX export: kept only when it agrees with torch, then picked up automatically."""

import json

from claimrisk import Tagger
from claimrisk.export import main as export_main

SENTENCES = ["Take 3 grams twice a day.", "It may help some people sleep.", "What is valerian?",
             "A much longer sentence about herbal supplements, sleep, anxiety and pain relief " * 2]


def test_export_agrees_with_torch_and_is_used_by_default(tiny_model_copy, data_dir):
    assert export_main(["--model", str(tiny_model_copy), "--data", str(data_dir), "--int8"]) == 0
    check = json.loads((tiny_model_copy / "onnx_check.json").read_text())
    assert check["fp32"]["argmax_agreement"] == 1.0
    assert check["fp32"]["max_abs_logit_diff"] <= check["tolerance"]
    assert 0.0 <= check["int8"]["argmax_agreement"] <= 1.0

    default = Tagger.from_pretrained(tiny_model_copy)
    torch_path = Tagger.from_pretrained(tiny_model_copy, backend="torch")
    assert default.backend.name == "onnx"
    p_onnx, _ = default.predict_proba(SENTENCES)
    p_torch, _ = torch_path.predict_proba(SENTENCES)
    assert (p_onnx.argmax(1) == p_torch.argmax(1)).all()
    assert abs(p_onnx - p_torch).max() < 1e-4
    assert [p.label for p in Tagger.from_pretrained(tiny_model_copy, backend="int8").predict(SENTENCES)]


def test_tagging_only_process_does_not_import_torch(tiny_model_copy, data_dir):
    import subprocess
    import sys

    export_main(["--model", str(tiny_model_copy), "--data", str(data_dir)])
    code = ("import sys; from claimrisk import Tagger; t = Tagger.from_pretrained(sys.argv[1]); t.tag('It may help.'); "
            "print(t.backend.name, 'torch' in sys.modules, 'datasets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tiny_model_copy)], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["onnx", "False", "False"]


def test_bench_measures_every_path_and_the_default_agrees_exactly(tiny_model_copy, data_dir):
    from claimrisk.bench import markdown, run_bench

    export_main(["--model", str(tiny_model_copy), "--data", str(data_dir), "--int8"])
    result = run_bench(tiny_model_copy, data_dir, n=40, rounds=1)
    assert set(result["paths"]) == {"a_pipeline_default", "b_claimrisk_default", "c_bf16_opt_in", "d_int8_opt_in"}
    assert result["default_backend"] == "onnx"
    default = result["paths"]["b_claimrisk_default"]
    assert default["agreement_dev"] == default["agreement_seed_test"] == 1.0
    assert result["inference_only_process"]["torch_imported"] is False
    assert "vs pipeline" in markdown(result)
