"""The label set: the one place that names the four labels and their order.

The order is the risk ranking of the contract (safe < hedged < overstated <
hazardous). Class ids follow it, so ``id2label`` in every checkpoint, the
``ClassLabel`` feature of the dataset and the rows of every report agree, and
"at least overstated" is a plain integer comparison.
"""

LABELS: tuple[str, ...] = ("safe", "hedged", "overstated", "hazardous")
ID2LABEL: dict[int, str] = dict(enumerate(LABELS))
LABEL2ID: dict[str, int] = {label: i for i, label in enumerate(LABELS)}

# Highlight colours for reports; text is always shown too, colour is never the only cue.
COLOURS: dict[str, str] = {
    "safe": "#e8f5e9",
    "hedged": "#fff8c5",
    "overstated": "#ffe0b2",
    "hazardous": "#ffcdd2",
}
