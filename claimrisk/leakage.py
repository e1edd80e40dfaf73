"""Near-duplicate detection between the corpus and the held-out seed articles.

Two rules, both on lower-cased alphanumeric word tokens:

* a shared run of 8 consecutive words (catches copied or lightly edited
  sentences, including a copied clause inside a longer sentence), and
* word-5-gram Jaccard similarity >= 0.5 (catches paraphrases that keep most of
  the wording but reorder or swap a few words).

A pair matching either rule is a near-duplicate. The same test keeps the
corpus from repeating itself, since duplicated training sentences inflate dev
scores and waste annotation budget.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

RUN_LENGTH = 8
JACCARD_N = 5
JACCARD_THRESHOLD = 0.5

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def ngrams(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class NearDuplicateIndex:
    """Index reference texts once, then ask which of them a new text echoes."""

    def __init__(self, texts: Iterable[str]):
        self.texts: list[str] = []
        self._runs: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self._grams: list[set[tuple[str, ...]]] = []
        self._by_gram: dict[tuple[str, ...], set[int]] = defaultdict(set)
        for text in texts:
            self.add(text)

    def add(self, text: str) -> int:
        i = len(self.texts)
        self.texts.append(text)
        tokens = words(text)
        for run in ngrams(tokens, RUN_LENGTH):
            self._runs[run].add(i)
        grams = ngrams(tokens, JACCARD_N)
        self._grams.append(grams)
        for g in grams:
            self._by_gram[g].add(i)
        return i

    def matches(self, text: str) -> list[tuple[int, str]]:
        """Indices of indexed texts that ``text`` near-duplicates, with the rule that fired."""
        tokens = words(text)
        found: dict[int, str] = {}
        for run in ngrams(tokens, RUN_LENGTH):
            for i in self._runs.get(run, ()):
                found.setdefault(i, f"shares the {RUN_LENGTH}-word run '{' '.join(run)}'")
        grams = ngrams(tokens, JACCARD_N)
        candidates = set().union(*(self._by_gram.get(g, set()) for g in grams)) if grams else set()
        for i in candidates - found.keys():
            score = jaccard(grams, self._grams[i])
            if score >= JACCARD_THRESHOLD:
                found[i] = f"word-{JACCARD_N}-gram Jaccard {score:.2f}"
        if not grams and len(tokens) >= 3:
            # Too short for 5-grams: only an exact token match counts.
            for i, other in enumerate(self.texts):
                if words(other) == tokens:
                    found.setdefault(i, "identical words")
        return sorted(found.items())


def self_duplicates(texts: Sequence[str]) -> list[tuple[int, int, str]]:
    """Pairs (i, j, reason) with i < j where text j near-duplicates an earlier text i."""
    index = NearDuplicateIndex([])
    pairs = []
    seen_exact: dict[tuple[str, ...], int] = {}
    for j, text in enumerate(texts):
        key = tuple(words(text))
        if key and key in seen_exact:
            pairs.append((seen_exact[key], j, "identical words"))
        else:
            for i, reason in index.matches(text):
                pairs.append((i, j, reason))
        seen_exact.setdefault(key, j)
        index.add(text)
    return pairs
