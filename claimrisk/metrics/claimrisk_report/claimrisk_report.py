"""Per-class precision, recall, F1 and support, macro-F1 and accuracy for claimrisk.

Shipped inside the package and loaded by local path, because
``evaluate.load("f1")`` fetches its script from the Hub and fails offline.
The arithmetic is scikit-learn's; this module only fixes the label order and
the names of the keys the reports and the model card read.
"""

import datasets
import evaluate
from sklearn.metrics import accuracy_score, precision_recall_fscore_support

_DESCRIPTION = "Per-class and macro precision/recall/F1 over the four claimrisk labels, plus accuracy."
_KWARGS = """
Args:
    predictions: predicted class ids.
    references: gold class ids.
    label_names: names of classes 0..K-1, in id order (claimrisk.labels.LABELS).
Returns:
    accuracy, macro_precision, macro_recall, macro_f1, and for each label
    <label>_precision, <label>_recall, <label>_f1, <label>_support.
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS)
class ClaimriskReport(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description=_KWARGS,
            features=datasets.Features({"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}),
        )

    def _compute(self, predictions, references, label_names):
        ids = list(range(len(label_names)))
        p, r, f, s = precision_recall_fscore_support(references, predictions, labels=ids, zero_division=0)
        mp, mr, mf, _ = precision_recall_fscore_support(references, predictions, labels=ids, average="macro", zero_division=0)
        out = {
            "accuracy": float(accuracy_score(references, predictions)),
            "macro_precision": float(mp),
            "macro_recall": float(mr),
            "macro_f1": float(mf),
        }
        for i, name in enumerate(label_names):
            out[f"{name}_precision"] = float(p[i])
            out[f"{name}_recall"] = float(r[i])
            out[f"{name}_f1"] = float(f[i])
            out[f"{name}_support"] = int(s[i])
        return out
