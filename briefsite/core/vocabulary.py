"""The vocabularies of the format: every term a field may take, and the scales that
explain them to readers (the likelihood ranges of ICD 203, the Admiralty grades, the
levels of confidence and the relation types)."""

from __future__ import annotations

from typing import Literal

from .shown import N_
from .yardsticks import ICD_203

Likelihood = Literal[
    "almost-no-chance", "very-unlikely", "unlikely", "roughly-even-chance",
    "likely", "very-likely", "almost-certain",
    "remote-chance", "highly-unlikely", "realistic-possibility", "highly-likely",
]
"""The terms of both yardsticks (core/yardsticks.py): a site accepts those of its own."""
Confidence = Literal["low", "moderate", "high"]
Status = Literal["draft", "final"]
Audience = Literal["public", "internal"]
ActorKind = Literal["person", "state", "organization", "armed-group", "other"]
RelationType = Literal["ally", "partner", "rival", "adversary", "mediator", "member-of", "leads", "backs", "other"]
SourceKind = Literal["news", "opinion", "analysis", "official", "dataset", "other"]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Literal[1, 2, 3, 4, 5, 6]
WarningKind = Literal["draft", "judgment-without-sources", "source-without-accessed", "source-without-archive",
                      "placeholder", "source-cited-nowhere", "actor-in-no-briefing", "history-incomplete",
                      "history-unreadable", "change-without-reason", "key-inside-text",
                      "judgment-without-id", "confidence-exceeds-sourcing",
                      "judgment-on-unsupported-assumption", "estimative-mismatch", "likelihood-with-confidence",
                      "other-yardstick", "scenario-likelihoods-inconsistent", "language-without-catalogue",
                      "area-off-the-basemap"]
AssumptionStatus = Literal["solid", "caveated", "unsupported"]
"""A key assumptions check's rating of an assumption."""
OutcomeResult = Literal["happened", "did-not-happen"]
IndicatorStatus = Literal["observed", "not-observed", "unknown"]
Trend = Literal["deteriorated", "improved", "unchanged", "risk-alert", "resolution-opportunity"]
"""Where a situation went since the last update (Crisis Group's CrisisWatch categories)."""
TREND_LABELS: dict[str, tuple[str, str]] = {
    "deteriorated": ("\u2198", "Deteriorated"), "improved": ("\u2197", "Improved"),
    "unchanged": ("\u2192", "Unchanged"), "risk-alert": ("\u26a0", "Conflict risk alert"),
    "resolution-opportunity": ("\u2726", "Resolution opportunity"),
}
"""Each trend's arrow (a sign beside the words, never alone) and its words."""

LIKELIHOOD_RANGES: dict[str, str] = {t.key: t.range for t in ICD_203.terms}
"""ICD 203's terms and ranges (a site's own yardstick: core/yardsticks.py)."""
LIKELIHOOD_SYNONYMS: dict[str, str] = {t.key: t.synonym for t in ICD_203.terms}
"""The synonym ICD 203 gives each likelihood term (a briefing uses the term)."""
CONFIDENCE_MEANINGS: dict[str, str] = {
    "high": N_("Information of high quality from several sources, or an issue whose nature allows a solid "
            "judgment. Still not a fact or a certainty: a high-confidence judgment can be wrong."),
    "moderate": N_("Information that is credibly sourced and plausible, but not of high enough quality or "
                "corroborated enough for high confidence."),
    "low": N_("Information that is questionable or implausible, too fragmented or poorly corroborated for "
           "solid inferences, or sources with significant problems."),
}
"""What each level of analytic confidence generally means, highest first."""
RELIABILITY_MEANINGS: dict[str, str] = {
    "A": N_("completely reliable"), "B": N_("usually reliable"), "C": N_("fairly reliable"),
    "D": N_("not usually reliable"), "E": N_("unreliable"), "F": N_("reliability cannot be judged"),
}
CREDIBILITY_MEANINGS: dict[int, str] = {
    1: N_("confirmed by other sources"), 2: N_("probably true"), 3: N_("possibly true"),
    4: N_("doubtful"), 5: N_("improbable"), 6: N_("truth cannot be judged"),
}
RELATION_MEANINGS: dict[str, str] = {
    "ally": N_("Bound to the other by alliance or treaty, or acting as its ally."),
    "partner": N_("Cooperates with the other without an alliance."),
    "rival": N_("Competes with the other for influence, short of open hostility."),
    "adversary": N_("In open hostility or armed conflict with the other."),
    "mediator": N_("Mediates in a dispute that involves the other."),
    "member-of": N_("Belongs to the other (an organization or alliance)."),
    "leads": N_("Heads the other (a state, ministry, organization or group)."),
    "backs": N_("Supports the other politically, financially or militarily."),
    "other": N_("Any other relation; its note says what."),
}
"""What each relation type means: an actor's relation of that type to the other actor."""


# What many warnings of a kind are called, in the one line that stands for them all.
WARNING_KINDS: dict[str, str] = {
    "draft": "briefings still in draft",
    "judgment-without-sources": "key judgments that cite no source",
    "source-without-accessed": "sources without an accessed date",
    "source-without-archive": "sources without archive_url",
    "placeholder": "values still reading TODO",
    "source-cited-nowhere": "sources cited nowhere",
    "actor-in-no-briefing": "actors named in no briefing",
    "history-incomplete": "briefings whose earlier versions were not found in git",
    "history-unreadable": "earlier versions whose committed file does not read",
    "change-without-reason": "updates that changed judgments without a note saying why",
    "key-inside-text": "keys indented under a text, read as part of it",
    "judgment-without-id": "briefings with several updates whose judgments have no id",
    "confidence-exceeds-sourcing": "high-confidence judgments on thin or weakly graded sources",
    "judgment-on-unsupported-assumption": "high-confidence judgments resting on an unsupported assumption",
    "estimative-mismatch": "estimative words whose range does not overlap the likelihood declared",
    "likelihood-with-confidence": "sentences stating a likelihood and a confidence together",
    "other-yardstick": "likelihood words of the other yardstick than the site's",
    "scenario-likelihoods-inconsistent": "exclusive scenarios whose likelihoods cannot add up to 100%",
    "language-without-catalogue": "sites whose language has no catalogue of the site's own words",
    "area-off-the-basemap": "area codes the maps' basemap does not draw on their own",
}
