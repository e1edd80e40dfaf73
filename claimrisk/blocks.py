"""Generated blocks inside hand-written Markdown.

README.md and data/README.md are prose written by people with a few blocks of
numbers written by commands. A block sits between ``<!-- BEGIN name -->`` and
``<!-- END name -->``; only the block is ever rewritten, so the prose stays
editable and the numbers cannot drift from the files they come from.
"""

from __future__ import annotations

from pathlib import Path

from .files import write_text_atomic


def markers(name: str) -> tuple[str, str]:
    return f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"


def replace_block(text: str, name: str, body: str) -> str:
    begin, end = markers(name)
    block = f"{begin}\n{body.strip()}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        return head + block + rest.split(end, 1)[1]
    return text.rstrip() + "\n\n" + block + "\n"


def update_file(path: str | Path, name: str, body: str) -> bool:
    """Rewrite one block of ``path`` atomically; True if the file changed."""
    path = Path(path)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    new = replace_block(old, name, body)
    if new != old:
        write_text_atomic(path, new)
    return new != old


def main(argv=None) -> None:
    """``python -m claimrisk.blocks FILE NAME SOURCE --head N``: put SOURCE's first N lines in block NAME."""
    import argparse

    parser = argparse.ArgumentParser(description="Copy the head of a generated file into a Markdown block.")
    parser.add_argument("file")
    parser.add_argument("name")
    parser.add_argument("source")
    parser.add_argument("--head", type=int, default=5)
    parser.add_argument("--fence", default="json", help="code fence language ('' for none)")
    args = parser.parse_args(argv)
    lines = Path(args.source).read_text(encoding="utf-8").splitlines()[: args.head]
    body = "\n".join(lines)
    if args.fence is not None:
        body = f"```{args.fence}\n{body}\n```"
    update_file(args.file, args.name, body)


if __name__ == "__main__":
    main()
