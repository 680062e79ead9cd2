"""Masterclass mode without Qt: measure picked objects, classify, record, combine.

* :mod:`.measure` — invariant mass, summed pT and charges of a selection (``vector``);
* :mod:`.categories` — the CMS WZH exercise categories and their keys;
* :mod:`.records` — the results CSV of a student or group, written atomically;
* :mod:`.combine` — merging many results files: tables, ratios, mass histograms;
* :mod:`.plot` — the merged mass histograms as a picture (the project's plot style).
"""
