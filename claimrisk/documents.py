"""Turn what users have (files, folders, CSV exports, stdin) into documents.

Problems that stop the whole run (a missing file, a CSV without the named
column, a folder with nothing to read) raise ``InputError`` with the path in
the message. Problems that only affect one document (binary data, bytes that
are not UTF-8, a bad JSONL line) are reported through ``warn`` and the run goes
on: one broken file in a folder of thousands should not cost the rest.

Text that is not UTF-8 is decoded as Windows-1252, the usual encoding of
legacy web text, with a warning naming the file.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

SUPPORTED = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv")
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg", "iframe")


class InputError(Exception):
    pass


@dataclass
class Document:
    id: str
    text: str


Warn = Callable[[str], None]


def _stderr_warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def decode(data: bytes, name: str, warn: Warn = _stderr_warn) -> str | None:
    """Text of ``data``; None for binary data (skipped with a warning)."""
    if b"\x00" in data[:8192]:
        warn(f"{name}: looks binary (NUL bytes); skipped")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        warn(f"{name}: not valid UTF-8 (byte {exc.start}); decoded as Windows-1252")
        return data.decode("cp1252", errors="replace")


def html_to_text(html: str) -> str:
    """Visible text of a page, one block per line; scripts, styles and navigation dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    lines = (line.strip() for line in root.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


def expand_paths(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
            if not found:
                raise InputError(f"{path}: folder has no supported files ({', '.join(SUPPORTED)})")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise InputError(f"{path}: not a regular file")
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def read_documents(
    paths: list[str], text_column: str = "text", id_column: str = "id", stdin=None, warn: Warn = _stderr_warn
) -> Iterator[Document]:
    """Documents from ``paths`` (``-`` or an empty list reads ``stdin``), lazily, in order.

    Paths are checked now, before the caller loads a model; files are read
    only as the documents are consumed.
    """
    if not paths or paths == ["-"]:
        return _read_stdin(stdin, warn)
    files = expand_paths(paths)
    return (doc for path in files for doc in _read_file(path, text_column, id_column, warn))


def _read_stdin(stdin, warn: Warn) -> Iterator[Document]:
    stream = stdin if stdin is not None else sys.stdin.buffer
    text = decode(stream.read(), "<stdin>", warn)
    if text is not None:
        yield Document("stdin", text)


def _read_file(path: Path, text_column: str, id_column: str, warn: Warn) -> Iterator[Document]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path, text_column, id_column, warn)
            return
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text = decode(data, str(path), warn)
    if text is None:
        return
    if suffix in (".html", ".htm"):
        yield Document(str(path), html_to_text(text))
    elif suffix == ".csv":
        yield from _read_csv(path, text, text_column, id_column)
    else:
        yield Document(str(path), text)


def _read_jsonl(path: Path, text_column: str, id_column: str, warn: Warn) -> Iterator[Document]:
    with path.open("rb") as fh:  # streamed line by line: a 1 GB file never sits in memory
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            line = decode(raw, f"{path}:{n}", warn)
            if line is None:
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                warn(f"{path}:{n}: malformed JSON ({exc.msg}); line skipped")
                continue
            if not isinstance(row, dict) or not isinstance(row.get(text_column), str):
                warn(f"{path}:{n}: field {text_column!r} missing or not a string; line skipped")
                continue
            yield Document(str(row.get(id_column) or f"{path}:{n}"), row[text_column])


def _read_csv(path: Path, text: str, text_column: str, id_column: str) -> Iterator[Document]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or text_column not in reader.fieldnames:
        columns = ", ".join(reader.fieldnames or []) or "none"
        raise InputError(f"{path}: no column {text_column!r} (columns: {columns}); choose one with --text-column")
    for n, row in enumerate(reader, 2):
        yield Document(str(row.get(id_column) or f"{path}:{n}"), row[text_column] or "")
