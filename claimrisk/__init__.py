"""claimrisk: tag each sentence of health text as safe, hedged, overstated or hazardous."""

from .labels import LABELS
from .tagger import Prediction, TaggedSentence, Tagger

__all__ = ["LABELS", "Prediction", "TaggedSentence", "Tagger"]
__version__ = "0.1.0"
