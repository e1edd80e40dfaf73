"""Three reference points the fine-tuned model has to beat on the same splits.

* majority: always the most frequent training label (what accuracy alone rewards);
* tfidf_logreg: word 1-2-gram TF-IDF with class-balanced logistic regression
  (what a bag of words learns from the same corpus);
* cue_rules: the contract's cue words applied in its decision order, no learning
  (what a keyword filter would catch).
"""

from __future__ import annotations

import re

import numpy as np

from .labels import LABEL2ID

_DOSE = r"\b\d+(?:[.,]\d+)?\s*(?:-|to|–)?\s*(?:\d+(?:[.,]\d+)?\s*)?(?:mg|mcg|µg|g|grams?|ml|drops?|capsules?|tablets?|pills?|teaspoons?|tsp|tablespoons?|iu|cups?)\b"
CUES = {
    "hazardous": [
        _DOSE,
        r"\b(?:instead of|alternative to|replace|replacement for|stop taking|ditch|no need for|won'?t need)\b",
        r"\b(?:no|zero|without) (?:side effects|risk|risks)\b",
        r"\b(?:completely|perfectly|totally|100%) safe\b|\bnon-addictive\b|\bharmless\b",
        r"\b(?:cures?|prevents?) (?:cancer|diabetes|infections?|addiction|heart disease)\b",
        r"\b(?:vaccines?|masks?|chemo\w*|statins?) (?:cause|causes|are dangerous|is dangerous)\b",
        r"\b(?:pregnan\w*|breastfeeding|children|kids|toddlers?|babies)\b.*\b(?:safe|take|give)\b",
    ],
    "overstated": [
        r"\b(?:research|science|studies|trials?|evidence) (?:shows?|proves?|confirms?|has shown)\b",
        r"\b(?:clinically proven|proven to|guaranteed|miracle|powerful|dramatically|significantly|definitely)\b",
        r"\b(?:boosts?|cures?|heals?|eliminates?|detoxif\w*|flushes|melts?|reverses?)\b",
        r"\bcan (?!help\b)\w+",
    ],
    "hedged": [
        r"\b(?:may|might|could|can help|possibly|potential(?:ly)?|suggests?|is thought to|preliminary|limited evidence|more research)\b",
        r"\b(?:linked to|associated with|associations?)\b",
    ],
}
_COMPILED = {label: [re.compile(p, re.IGNORECASE) for p in pats] for label, pats in CUES.items()}


def cue_rule_label(text: str) -> str:
    for label in ("hazardous", "overstated", "hedged"):
        if any(p.search(text) for p in _COMPILED[label]):
            return label
    return "safe"


class CueRules:
    def fit(self, texts, labels):
        return self

    def predict(self, texts) -> np.ndarray:
        return np.array([LABEL2ID[cue_rule_label(t)] for t in texts])


def build_baselines(seed: int = 0) -> dict:
    from sklearn.dummy import DummyClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return {
        "majority": DummyClassifier(strategy="most_frequent"),
        "tfidf_logreg": make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            LogisticRegression(max_iter=2000, class_weight="balanced", C=4.0, random_state=seed),
        ),
        "cue_rules": CueRules(),
    }
