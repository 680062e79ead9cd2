"""The event categories of the CMS WZH masterclass exercise, with their keys.

W candidates are split by the lepton's flavour and by the sign of its charge
(read by the student from the track's curvature): ``e+nu``, ``e-nu``,
``mu+nu``, ``mu-nu``. Neutral candidates: ``ee``, ``mumu`` (Z, J/ψ, Υ ...),
``4e``, ``4mu``, ``2e2mu`` (H → ZZ*), ``gg`` (H → γγ) and ``zoo`` (background
or anything else). Keys sit in two rows on the left of the keyboard (Q W /
A S for the W's) and on the digits the views leave free (5-0); X is the zoo.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """One answer a student can give.

    Attributes
    ----------
    code : str
        What the results CSV stores (ASCII).
    label : str
        What the dock shows.
    key : str
        The keyboard shortcut.
    kind : str
        ``"W"``, ``"2l"`` (two leptons), ``"4l"``, ``"gg"`` or ``"zoo"``.
    flavour : str
        ``"e"``, ``"mu"`` or ``""``: which lepton family it counts for in e/μ.
    charge : int
        +1 / -1 for the W's, 0 otherwise.
    """

    code: str
    label: str
    key: str
    kind: str
    flavour: str = ""
    charge: int = 0


CATEGORIES: tuple[Category, ...] = (
    Category("e+nu", "W⁺ → e⁺ν", "Q", "W", "e", +1),
    Category("e-nu", "W⁻ → e⁻ν", "W", "W", "e", -1),
    Category("mu+nu", "W⁺ → μ⁺ν", "A", "W", "mu", +1),
    Category("mu-nu", "W⁻ → μ⁻ν", "S", "W", "mu", -1),
    Category("ee", "ee (Z, J/ψ …)", "5", "2l", "e"),
    Category("mumu", "μμ (Z, J/ψ …)", "6", "2l", "mu"),
    Category("4e", "4e (H → ZZ*)", "7", "4l", "e"),
    Category("4mu", "4μ (H → ZZ*)", "8", "4l", "mu"),
    Category("2e2mu", "2e2μ (H → ZZ*)", "9", "4l"),
    Category("gg", "γγ (H → γγ)", "0", "gg"),
    Category("zoo", "zoo / background", "X", "zoo"),
)
BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
#: the key that clears the selection of picked objects
CLEAR_KEY = "C"


def category(code: str) -> Category:
    """The category stored as ``code``; KeyError naming the known codes otherwise."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown category {code!r} (one of {', '.join(BY_CODE)})") from None
