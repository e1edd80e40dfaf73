"""The HTML report opens in a real browser with every sentence highlighted."""

import shutil
import subprocess

import pytest

from claimrisk.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed (.ci/run installs it)")
def test_report_renders_in_headless_chromium(tmp_path, tiny_model):
    doc = tmp_path / "article.txt"
    doc.write_text("Kratom Guide\nKratom is a tree. It may ease pain. Take 5 g every morning!\n")
    report = tmp_path / "report.html"
    assert main(["tag", str(doc), "--model", str(tiny_model), "--format", "html", "-o", str(report), "--quiet"]) == 0
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120).stdout
    for sentence in ("Kratom Guide", "Kratom is a tree.", "It may ease pain.", "Take 5 g every morning!"):
        assert f">{sentence}<" in dom or f">{sentence}" in dom
    assert dom.count('tabindex="0"') == 4
    assert "risk score" in dom and 'class="bar"' in dom
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=420,900", report.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 1000
