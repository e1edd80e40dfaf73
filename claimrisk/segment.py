"""Split documents into sentences with exact character offsets.

Web health text is not tidy prose: headings have no full stop, lists use
bullets and numbers, doses are written "2.5 mg" or "4-8 g", and abbreviations
("approx.", "e.g.") end in dots. Each line is segmented on its own (a line
break always ends a sentence, which is what makes headings and list items come
out whole), list markers are left outside the span, and the maintained
``sentencex`` segmenter finds the boundaries inside a line. One repair is
applied on top: a boundary right after a measurement or Latin abbreviation
("approx.", "mg.", "vs.") is undone when the next piece starts in lower case or
with a digit, because sentencex treats those dots as full stops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sentencex

_LIST_MARKER = re.compile(r"[ \t]*(?:#{1,6}|[-*•·▪‣◦–—>]+|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])[ \t]+")
_TRAILING_ABBREVIATION = re.compile(
    r"\b(?:approx|ca|cf|e\.g|i\.e|etc|vs|esp|incl|min|max|mg|mcg|g|kg|ml|oz|lb|tbsp|tsp|hr|hrs|no|fig|vol|dept|st)\.\s*$",
    re.IGNORECASE,
)
_HAS_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def split_sentences(text: str, language: str = "en") -> list[Span]:
    """Sentences of ``text``; ``text[span.start:span.end] == span.text`` always holds."""
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        spans.extend(_split_line(text, offset, len(line.rstrip("\r\n")), language))
        offset += len(line)
    return spans


def _split_line(text: str, line_start: int, line_length: int, language: str) -> list[Span]:
    line = text[line_start : line_start + line_length]
    marker = _LIST_MARKER.match(line)
    body_start = marker.end() if marker and marker.end() < len(line) else 0
    body = line[body_start:]
    if not _HAS_WORD.search(body):
        return []
    pieces: list[tuple[int, int]] = []
    for boundary in sentencex.get_sentence_boundaries(language, body):
        start, end = boundary["start_index"], boundary["end_index"]
        if pieces and _is_false_boundary(body[pieces[-1][0] : pieces[-1][1]], body[start:end]):
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    spans = []
    for start, end in pieces:
        piece = body[start:end]
        stripped = piece.strip()
        if not _HAS_WORD.search(stripped):
            continue
        lead = len(piece) - len(piece.lstrip())
        absolute = line_start + body_start + start + lead
        spans.append(Span(absolute, absolute + len(stripped), stripped))
    return spans


def _is_false_boundary(previous: str, following: str) -> bool:
    nxt = following.lstrip()
    return bool(nxt) and bool(_TRAILING_ABBREVIATION.search(previous)) and (nxt[0].islower() or nxt[0].isdigit())


def main(argv=None) -> None:
    """``python -m claimrisk.segment FILE...``: one JSON line per sentence, with offsets."""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Split text files into sentences (JSONL with character offsets).")
    parser.add_argument("files", nargs="+", type=Path)
    for path in parser.parse_args(argv).files:
        text = path.read_text(encoding="utf-8")
        for i, span in enumerate(split_sentences(text)):
            print(json.dumps({"doc": path.name, "index": i, "start": span.start, "end": span.end, "text": span.text}, ensure_ascii=False))


if __name__ == "__main__":
    main()
