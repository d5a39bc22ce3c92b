"""The words and phrases of each yardstick that prose uses to say how likely something is:
the one list the estimative-language checks read (core/estimative.py matches them).

Each term of a yardstick (core/yardsticks.py) lists its phrases as a reader would write them,
lower case, one space between words; the matcher also finds them in any case, with hyphens or
line breaks between the words ('Very-likely', 'almost\\ncertainly'). A phrase both yardsticks
list is a term of either ('likely'); one only the other lists is the other yardstick's.

Sources:
- ICD 203: US Intelligence Community Directive 203, Analytic Standards (2 January 2015),
  section D.6.b(2)(a), the table of expressions of likelihood: each term with its synonym
  (almost no chance / remote; very unlikely / highly improbable; unlikely / improbable
  (improbably); roughly even chance / roughly even odds; likely / probable (probably);
  very likely / highly probable; almost certain(ly) / nearly certain). 'Remote' is listed
  only as 'remote chance' and 'remote possibility': alone it is mostly a place ('a remote
  village').
- PHIA: the UK Professional Head of Intelligence Assessment's Probability Yardstick (2019
  edition): remote chance; highly unlikely; unlikely; realistic possibility; likely or
  probable; highly likely; almost certain.

The adverbs and plurals (almost certainly, probably, remote chances) are the same terms
inflected; they are written out here rather than derived, so that this list is all that is
recognised.
"""

from __future__ import annotations

from typing import Final

PHRASES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "icd-203": {
        "almost-no-chance": ("almost no chance", "remote chance", "remote chances", "remote possibility"),
        "very-unlikely": ("very unlikely", "highly improbable", "highly improbably"),
        "unlikely": ("unlikely", "improbable", "improbably"),
        "roughly-even-chance": ("roughly even chance", "roughly even chances", "roughly even odds",
                                "even chance", "even odds"),
        "likely": ("likely", "probable", "probably"),
        "very-likely": ("very likely", "highly probable", "highly probably"),
        "almost-certain": ("almost certain", "almost certainly", "nearly certain", "nearly certainly"),
    },
    "phia": {
        "remote-chance": ("remote chance", "remote chances"),
        "highly-unlikely": ("highly unlikely",),
        "unlikely": ("unlikely",),
        "realistic-possibility": ("realistic possibility", "realistic possibilities"),
        "likely": ("likely", "probable", "probably"),
        "highly-likely": ("highly likely",),
        "almost-certain": ("almost certain", "almost certainly"),
    },
}
"""yardstick -> term -> the phrases that say it."""

NEGATIONS: Final[tuple[str, ...]] = ("not", "never", "no", "nor", "hardly", "scarcely", "barely", "without")
"""Words that, up to two words before a phrase, turn it around: 'not likely to be reached' states
no likelihood term (what it does state is for the author to say with a term)."""

COMPARATIVES: Final[tuple[str, ...]] = ("more", "less", "most", "least", "as", "equally", "how")
"""Words that, just before a phrase, make it a comparison, not a term: 'more likely than not',
'as likely as', 'the most likely outcome', 'how likely'."""

CONFIDENCE_LEVELS: Final[tuple[str, ...]] = ("low", "moderate", "medium", "high")
"""The levels a confidence statement names: 'high confidence', 'confidence is low',
'moderately confident'."""
