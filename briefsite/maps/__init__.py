"""Locator maps: the shipped basemap (basemap.py), the frame and projection around an area
(frame.py), labels that do not overlap (labels.py), the SVG (draw.py). Importing this package
alone loads no geometry library (the read stage needs only what follows)."""

NOT_DRAWN_ALONE = frozenset({"BQ", "BV", "CC", "CX", "GF", "GI", "GP", "MQ", "RE", "SJ", "TK", "TV", "UM", "YT"})
"""Codes CLDR knows that the 1:50m basemap has no outline of their own for (too small, or
counted in another country's, as French Guiana in France's): checked by tests/test_maps.py."""
