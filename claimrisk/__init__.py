"""claimrisk: tag each sentence of health text as safe, hedged, overstated or hazardous."""

from .labels import LABELS

__all__ = ["LABELS", "Prediction", "TaggedSentence", "Tagger"]
__version__ = "0.1.0"


def __getattr__(name):
    # Imported on first use so `python -m claimrisk.<module>` and `import claimrisk.labels` stay light.
    if name in ("Prediction", "TaggedSentence", "Tagger"):
        from . import tagger

        return getattr(tagger, name)
    raise AttributeError(f"module 'claimrisk' has no attribute {name!r}")
