"""The ``claimrisk`` command.

    claimrisk tag article.txt drafts/ posts.csv --text-column body -o out.jsonl
    cat page.html | claimrisk tag --format html -o report.html
    claimrisk tag drafts/ --fail-on hazardous --quiet

Exit status: 0 done; 2 bad input or usage (message on stderr, no output file
written); 3 ``--fail-on`` was given and some sentence reached that label
(output is still written in full).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections import deque
from pathlib import Path

from .documents import InputError, read_documents
from .labels import LABEL2ID, LABELS
from .tagger import BACKENDS

EXIT_OK, EXIT_ERROR, EXIT_FAIL_ON = 0, 2, 3
CSV_FIELDS = ["doc_id", "sentence_index", "start", "end", "text", "label", *[f"p_{l}" for l in LABELS], "truncated"]


def _language(text: str) -> str | None:
    """Language code for text long enough to judge, else None."""
    letters = sum(c.isalpha() for c in text[:5000])
    if letters < 40:
        return None
    import py3langid

    return py3langid.classify(text[:5000])[0]


class _Output:
    """Writes to a temporary file beside the target and renames it on success only."""

    def __init__(self, target: str | None):
        self.target = target
        if target:
            directory = Path(target).resolve().parent
            if not directory.is_dir():
                raise InputError(f"{target}: output folder {directory} does not exist")
            fd, self.tmp = tempfile.mkstemp(prefix=f".{Path(target).name}.", suffix=".part", dir=directory)
            self.stream = io.open(fd, "w", encoding="utf-8", newline="")
        else:
            self.tmp = None
            self.stream = sys.stdout

    def commit(self) -> None:
        if self.tmp:
            self.stream.close()
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)  # mkstemp makes 0600 files; give the usual permissions
            os.replace(self.tmp, self.target)

    def abort(self) -> None:
        if self.tmp:
            self.stream.close()
            Path(self.tmp).unlink(missing_ok=True)


def sentence_record(doc_id: str, s) -> dict:
    """One output record per sentence; CSV flattens ``probabilities`` into p_<label> columns."""
    return {"record": "sentence", "doc_id": doc_id, "sentence_index": s.index, "start": s.start, "end": s.end,
            "text": s.text, "label": s.label, "probabilities": {l: round(s.probabilities[l], 4) for l in LABELS},
            "truncated": s.truncated}


def tag_command(args) -> int:
    from .report import document_summary, render_html
    from .tagger import Tagger

    def warn(message: str) -> None:
        if not args.quiet:
            print(f"warning: {message}", file=sys.stderr)

    documents = read_documents(args.inputs, text_column=args.text_column, id_column=args.id_column, warn=warn)
    tagger = Tagger.from_pretrained(args.model, revision=args.revision, backend=args.backend, batch_size=args.batch_size)
    min_rank = LABEL2ID[args.min_label]
    fail_rank = LABEL2ID[args.fail_on] if args.fail_on else None
    out = _Output(args.output)
    tripped = False
    kept_for_html = []
    try:
        in_flight: deque = deque()  # documents handed to the tagger whose results have not come back yet

        def texts_of():
            for doc in _progress(documents, args.quiet):
                in_flight.append(doc)
                yield doc.text

        writer = csv.DictWriter(out.stream, CSV_FIELDS) if args.format == "csv" else None
        if writer:
            writer.writeheader()
        for sentences in tagger.tag_many(texts_of()):
            doc = in_flight.popleft()
            language = _language(doc.text)
            if not doc.text.strip():
                warn(f"{doc.id}: empty document")
            if language not in (None, "en"):
                warn(f"{doc.id}: detected language {language!r}; the model is trained on English")
            for s in sentences:
                if s.truncated:
                    warn(f"{doc.id}: sentence {s.index} is longer than the model window and was truncated (flagged in the output)")
            summary = document_summary(doc.id, sentences, language)
            tripped |= fail_rank is not None and any(LABEL2ID[s.label] >= fail_rank for s in sentences)
            if args.format == "html":
                kept_for_html.append((doc.text, sentences, summary))
                continue
            for s in sentences:
                if LABEL2ID[s.label] < min_rank:
                    continue
                record = sentence_record(doc.id, s)
                if writer:
                    probabilities = record.pop("probabilities")
                    del record["record"]
                    writer.writerow(record | {f"p_{l}": p for l, p in probabilities.items()})
                else:
                    out.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            if args.format == "jsonl":
                out.stream.write(json.dumps(summary, ensure_ascii=False) + "\n")
            if args.summary_to_stderr:
                print(f"{doc.id}: risk {summary['risk_score']} " + " ".join(f"{l}={summary['counts'][l]}" for l in LABELS), file=sys.stderr)
        if args.format == "html":
            out.stream.write(render_html(kept_for_html))
        out.commit()
    except BaseException:
        out.abort()
        raise
    if args.output and not args.quiet:
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_FAIL_ON if tripped else EXIT_OK


def _progress(iterable, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, unit="doc", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimrisk", description="Tag health text sentence by sentence.")
    sub = parser.add_subparsers(dest="command", required=True)
    tag = sub.add_parser(
        "tag",
        help="tag documents",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tag.add_argument("inputs", nargs="*", help="files or folders (.txt .md .html .jsonl .csv); none or '-' reads stdin")
    tag.add_argument("--model", default=os.environ.get("CLAIMRISK_MODEL", "models/claimrisk"), help="model folder or Hub id")
    tag.add_argument("--revision", default=None, help="pin a Hub model to a commit, branch or tag")
    tag.add_argument("--backend", default="auto", choices=BACKENDS,
                     help="auto: ONNX fp32 if exported, else torch fp32; bf16 and int8 are opt-in fast modes that may change a few labels")
    tag.add_argument("--format", default="jsonl", choices=["jsonl", "csv", "html"])
    tag.add_argument("-o", "--output", default=None, help="output file (default: stdout)")
    tag.add_argument("--text-column", default="text", help="field holding the text in .jsonl/.csv input")
    tag.add_argument("--id-column", default="id", help="field holding the document id in .jsonl/.csv input")
    tag.add_argument("--min-label", default="safe", choices=LABELS, help="only write sentences at or above this label")
    tag.add_argument("--fail-on", default=None, choices=LABELS, help=f"exit {EXIT_FAIL_ON} if any sentence reaches this label")
    tag.add_argument("--batch-size", type=int, default=32)
    tag.add_argument("--summary-to-stderr", action="store_true", help="print one summary line per document on stderr")
    tag.add_argument("-q", "--quiet", action="store_true", help="no progress bar or warnings")
    tag.set_defaults(func=tag_command)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted; no output file written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
