"""Per-document summaries and the self-contained HTML report.

Document risk score: each sentence's expected risk is the sum of its label
probabilities weighted by the label's rank (safe 0, hedged 1/3, overstated
2/3, hazardous 1); the document scores 100 x the expected risk of its riskiest
sentence. A document is as risky as the worst thing it tells a reader, however
much safe text surrounds it, which is why this is a maximum and not a mean.
"""

from __future__ import annotations

import html
from collections import Counter

from .labels import COLOURS, LABELS
from .tagger import TaggedSentence

WEIGHTS = {label: i / (len(LABELS) - 1) for i, label in enumerate(LABELS)}


def expected_risk(probabilities: dict[str, float]) -> float:
    return sum(WEIGHTS[l] * p for l, p in probabilities.items())


def document_summary(doc_id: str, sentences: list[TaggedSentence], language: str | None = None) -> dict:
    counts = Counter(s.label for s in sentences)
    riskiest = max(sentences, key=lambda s: expected_risk(s.probabilities), default=None)
    return {
        "record": "document",
        "doc_id": doc_id,
        "sentences": len(sentences),
        "counts": {l: counts.get(l, 0) for l in LABELS},
        "risk_score": round(100 * expected_risk(riskiest.probabilities), 1) if riskiest else 0.0,
        "riskiest_sentence": {"index": riskiest.index, "label": riskiest.label, "text": riskiest.text} if riskiest else None,
        "truncated_sentences": sum(s.truncated for s in sentences),
        "language": language,
    }


_CSS = """
body{font:16px/1.6 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:52rem;padding:1rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;word-break:break-all}
.legend span,.s{border-radius:3px;padding:.05em .2em}
.legend{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 1rem}
.s{box-decoration-break:clone;-webkit-box-decoration-break:clone}
.s:focus{outline:2px solid #333}
.tag{font-size:.7em;font-weight:700;letter-spacing:.03em;vertical-align:super;margin-left:.15em;color:#333}
.s.hazardous{border-bottom:3px double #b71c1c}.s.overstated{border-bottom:2px solid #e65100}
.s.hedged{border-bottom:1px dashed #8d6e00}
.bar{display:flex;height:1.4rem;border-radius:4px;overflow:hidden;border:1px solid #999;margin:.4rem 0}
.bar div{font-size:.75rem;line-height:1.4rem;text-align:center;white-space:nowrap;overflow:hidden;color:#1b1b1b}
table{border-collapse:collapse;width:100%;font-size:.9rem;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}td.n{text-align:right}
.doc p{margin:.3rem 0}.warn{color:#8a1c1c}
"""
_TAGS = {"safe": "", "hedged": "HEDGED", "overstated": "OVERSTATED", "hazardous": "HAZARDOUS"}


def _bar(counts: dict[str, int]) -> str:
    total = sum(counts.values()) or 1
    parts = [
        f'<div style="width:{100 * counts[l] / total:.2f}%;background:{COLOURS[l]}" title="{l}: {counts[l]}">{l} {counts[l]}</div>'
        for l in LABELS
        if counts[l]
    ]
    label = ", ".join(f"{counts[l]} {l}" for l in LABELS)
    return f'<div class="bar" role="img" aria-label="{label}">{"".join(parts)}</div>'


def _sentence(s: TaggedSentence) -> str:
    probs = ", ".join(f"{l} {s.probabilities[l]:.2f}" for l in LABELS)
    tag = f'<span class="tag" aria-hidden="true">{_TAGS[s.label]}</span>' if _TAGS[s.label] else ""
    note = " (truncated to the model window)" if s.truncated else ""
    return (
        f'<span class="s {s.label}" style="background:{COLOURS[s.label]}" tabindex="0" data-label="{s.label}" '
        f'title="{s.label}: {probs}{note}" aria-label="{s.label}: {html.escape(s.text, quote=True)}">'
        f"{html.escape(s.text)}{tag}</span>"
    )


def _document_html(text: str, sentences: list[TaggedSentence]) -> str:
    """The document's own text with each sentence wrapped; line breaks kept as paragraphs."""
    out, pos = [], 0
    for s in sentences:
        out.append(html.escape(text[pos : s.start]))
        out.append(_sentence(s))
        pos = s.end
    out.append(html.escape(text[pos:]))
    paragraphs = "".join(out).split("\n")
    return "\n".join(f"<p>{p}</p>" for p in paragraphs if p.strip())


def render_html(documents: list[tuple[str, list[TaggedSentence], dict]]) -> str:
    """``documents``: (text, tagged sentences, summary) per document."""
    legend = "".join(f'<span style="background:{COLOURS[l]}" class="s {l}">{l}</span>' for l in LABELS)
    rows = "".join(
        f"<tr><td><a href=\"#doc{i}\">{html.escape(sm['doc_id'])}</a></td><td class=n>{sm['risk_score']}</td>"
        + "".join(f"<td class=n>{sm['counts'][l]}</td>" for l in LABELS)
        + "</tr>"
        for i, (_, _, sm) in enumerate(documents)
    )
    sections = []
    for i, (text, sentences, sm) in enumerate(documents):
        warn = ""
        if sm.get("language") not in (None, "en"):
            warn = f'<p class="warn">Language detected: {html.escape(str(sm["language"]))}. The model is trained on English; labels may be unreliable.</p>'
        if not sentences:
            warn += '<p class="warn">Empty document: no sentences to tag.</p>'
        sections.append(
            f'<section class="doc" id="doc{i}"><h2>{html.escape(sm["doc_id"])}</h2>'
            f"<p>Risk score <strong>{sm['risk_score']}</strong> of 100 · {sm['sentences']} sentences</p>"
            f"{_bar(sm['counts'])}{warn}{_document_html(text, sentences)}</section>"
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>claimrisk report</title><style>{_CSS}</style></head><body>"
        "<h1>claimrisk report</h1>"
        f'<div class="legend" aria-label="legend">{legend}</div>'
        "<p>Each sentence is highlighted by its label; risky labels also carry a text tag and an underline. "
        "Hover or focus a sentence for its probabilities.</p>"
        '<table><thead><tr><th>document</th><th>risk score</th>'
        + "".join(f"<th>{l}</th>" for l in LABELS)
        + f"</tr></thead><tbody>{rows}</tbody></table>"
        + "".join(sections)
        + "</body></html>\n"
    )
