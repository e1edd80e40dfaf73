"""`claimrisk tag` as a user runs it: files in, records out, clear errors, honest exit codes."""

import csv
import io
import json

import pytest

from claimrisk.cli import EXIT_ERROR, EXIT_FAIL_ON, EXIT_OK, main
from claimrisk.labels import LABELS

ARTICLE = "Kratom Guide\nKratom is a tree. It may ease pain. Take 5 g every morning!\n"


def run(args, model):
    return main(["tag", *map(str, args), "--model", str(model), "--quiet"])


def read_jsonl(path):
    return [json.loads(l) for l in path.read_text().splitlines()]


def test_jsonl_records_and_document_summary(tmp_path, tiny_model):
    doc = tmp_path / "article.txt"
    doc.write_text(ARTICLE)
    out = tmp_path / "out.jsonl"
    assert run([doc, "-o", out], tiny_model) == EXIT_OK
    records = read_jsonl(out)
    sentences = [r for r in records if r["record"] == "sentence"]
    (summary,) = [r for r in records if r["record"] == "document"]
    assert [s["text"] for s in sentences] == ["Kratom Guide", "Kratom is a tree.", "It may ease pain.", "Take 5 g every morning!"]
    for s in sentences:
        assert ARTICLE[s["start"] : s["end"]] == s["text"]
        assert s["label"] in LABELS and set(s["probabilities"]) == set(LABELS)
    assert summary["sentences"] == 4 and sum(summary["counts"].values()) == 4
    assert 0 <= summary["risk_score"] <= 100
    assert summary["riskiest_sentence"]["text"] in [s["text"] for s in sentences]
    assert not list(tmp_path.glob(".*.part"))


def test_csv_input_with_text_column_and_csv_output(tmp_path, tiny_model):
    src = tmp_path / "posts.csv"
    src.write_text("post_id,body\np1,It may help you sleep.\np2,Take 3 g daily. It cures anxiety.\n")
    out = tmp_path / "out.csv"
    assert run([src, "--text-column", "body", "--id-column", "post_id", "--format", "csv", "-o", out], tiny_model) == EXIT_OK
    rows = list(csv.DictReader(out.open()))
    assert [r["doc_id"] for r in rows] == ["p1", "p2", "p2"]
    assert rows[2]["text"] == "It cures anxiety."


def test_missing_csv_column_is_an_error_naming_file_and_columns(tmp_path, tiny_model, capsys):
    src = tmp_path / "posts.csv"
    src.write_text("post_id,body\np1,hello\n")
    out = tmp_path / "out.jsonl"
    assert run([src, "-o", out], tiny_model) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "posts.csv" in err and "'text'" in err and "post_id, body" in err
    assert not out.exists()


def test_folder_html_and_jsonl_inputs(tmp_path, tiny_model):
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "a.md").write_text("# Title\nIt may help.\n")
    (folder / "b.html").write_text("<html><head><style>p{}</style><script>var x=1;</script></head><body><nav>Home | Shop</nav>"
                                   "<article><h1>Ginger</h1><p>Ginger may ease nausea.</p></article></body></html>")
    (folder / "c.jsonl").write_text(json.dumps({"id": "post-1", "text": "Vaccines cause autism."}) + "\n{bad json\n")
    (folder / "ignored.bin").write_bytes(b"\x00\x01")
    out = tmp_path / "out.jsonl"
    assert run([folder, "-o", out], tiny_model) == EXIT_OK
    docs = [r for r in read_jsonl(out) if r["record"] == "document"]
    assert [d["doc_id"] for d in docs] == [str(folder / "a.md"), str(folder / "b.html"), "post-1"]
    texts = [r["text"] for r in read_jsonl(out) if r["record"] == "sentence"]
    assert "Ginger may ease nausea." in texts and not any("var x" in t or "Home" in t for t in texts)


def test_stdin_and_min_label_filter(tmp_path, tiny_model, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    out = tmp_path / "out.jsonl"
    assert run(["-o", out, "--min-label", "hazardous"], tiny_model) == EXIT_OK
    assert all(r["label"] == "hazardous" for r in read_jsonl(out) if r["record"] == "sentence")


def test_fail_on_exit_status_is_distinct_and_output_still_written(tmp_path, tiny_model):
    doc = tmp_path / "a.txt"
    doc.write_text(ARTICLE)
    out = tmp_path / "out.jsonl"
    assert run([doc, "-o", out, "--fail-on", "safe"], tiny_model) == EXIT_FAIL_ON  # every sentence is >= safe
    assert out.exists()
    assert EXIT_FAIL_ON not in (EXIT_OK, EXIT_ERROR)


def test_missing_file_and_empty_folder(tmp_path, tiny_model, capsys):
    assert run([tmp_path / "nope.txt"], tiny_model) == EXIT_ERROR
    assert "nope.txt: no such file or folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert run([tmp_path / "empty"], tiny_model) == EXIT_ERROR
    assert "no supported files" in capsys.readouterr().err


def test_non_utf8_binary_and_empty_files_warn_but_do_not_fail(tmp_path, tiny_model, capsys):
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 owners say it may help.".encode("cp1252"))
    (tmp_path / "blob.txt").write_bytes(b"\x00\x00\x01binary")
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "out.jsonl"
    result = main(["tag", str(tmp_path / "latin.txt"), str(tmp_path / "blob.txt"), str(tmp_path / "empty.txt"),
                   "--model", str(tiny_model), "-o", str(out)])
    err = capsys.readouterr().err
    assert result == EXIT_OK
    assert "latin.txt: not valid UTF-8" in err and "Windows-1252" in err
    assert "blob.txt: looks binary" in err
    assert "empty.txt: empty document" in err
    texts = [r["text"] for r in read_jsonl(out) if r["record"] == "sentence"]
    assert texts == ["Café owners say it may help."]


def test_non_english_document_is_flagged(tmp_path, tiny_model, capsys):
    doc = tmp_path / "fr.txt"
    doc.write_text("Le kratom est un arbre tropical originaire d'Asie du Sud-Est. Il peut soulager la douleur chez certains.")
    out = tmp_path / "out.jsonl"
    assert main(["tag", str(doc), "--model", str(tiny_model), "-o", str(out)]) == EXIT_OK
    assert "detected language 'fr'" in capsys.readouterr().err
    (summary,) = [r for r in read_jsonl(out) if r["record"] == "document"]
    assert summary["language"] == "fr"


def test_interrupted_run_leaves_no_output(tmp_path, tiny_model, monkeypatch):
    doc = tmp_path / "a.txt"
    doc.write_text(ARTICLE)
    out = tmp_path / "out.jsonl"
    out.write_text("previous complete output\n")

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("claimrisk.report.document_summary", boom)
    assert run([doc, "-o", out], tiny_model) == 130
    assert out.read_text() == "previous complete output\n"
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("fmt", ["html"])
def test_html_report_is_self_contained(tmp_path, tiny_model, fmt):
    doc = tmp_path / "a.txt"
    doc.write_text(ARTICLE)
    out = tmp_path / "report.html"
    assert run([doc, "--format", fmt, "-o", out], tiny_model) == EXIT_OK
    page = out.read_text()
    assert page.count('class="s ') >= 4 + len(LABELS)  # four sentences plus the legend
    assert "http://" not in page and "https://" not in page
    assert 'name="viewport"' in page
