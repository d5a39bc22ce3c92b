"""The vocabularies of the format: every term a field may take, and the scales that
explain them to readers (the likelihood ranges of ICD 203, the Admiralty grades)."""

from __future__ import annotations

from typing import Literal

Likelihood = Literal[
    "almost-no-chance", "very-unlikely", "unlikely", "roughly-even-chance",
    "likely", "very-likely", "almost-certain",
]
Confidence = Literal["low", "moderate", "high"]
Status = Literal["draft", "final"]
Audience = Literal["public", "internal"]
ActorKind = Literal["person", "state", "organization", "armed-group", "other"]
RelationType = Literal["ally", "partner", "rival", "adversary", "mediator", "member-of", "leads", "backs", "other"]
SourceKind = Literal["news", "opinion", "analysis", "official", "dataset", "other"]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Literal[1, 2, 3, 4, 5, 6]
IndicatorStatus = Literal["observed", "not-observed", "unknown"]

LIKELIHOOD_RANGES: dict[str, str] = {
    "almost-no-chance": "1-5%", "very-unlikely": "5-20%", "unlikely": "20-45%",
    "roughly-even-chance": "45-55%", "likely": "55-80%", "very-likely": "80-95%",
    "almost-certain": "95-99%",
}
RELIABILITY_MEANINGS: dict[str, str] = {
    "A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
    "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged",
}
CREDIBILITY_MEANINGS: dict[int, str] = {
    1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
    4: "doubtful", 5: "improbable", 6: "truth cannot be judged",
}
