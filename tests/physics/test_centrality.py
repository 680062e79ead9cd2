"""One centrality: the file's estimator first, multiplicity only with enough events."""

from __future__ import annotations

import numpy as np

from collider_viz.physics import centrality


def test_hibin_is_half_percent_steps():
    c = centrality.from_estimator({"hiBin": 73, "centrality": 99.0})
    assert (c.label, c.source, c.percent) == ("30–40%", "hiBin", 36.5)
    assert centrality.from_estimator({"hiBin": 0}).label == "0–5%"
    assert centrality.from_estimator({"hiBin": 199}).label == "90–100%"
    assert centrality.from_estimator({"hiBin": -1}) is None


def test_generator_decile_and_missing():
    assert centrality.from_estimator({"bClass": 0}).text == "0–10% (generator impact parameter)"
    assert centrality.from_estimator({"bClass": -1}) is None
    assert centrality.from_estimator({}) is None


def test_multiplicity_only_with_enough_events():
    few = centrality.for_file({}, np.arange(10, 0, -1), 10)
    assert few == [None] * 10
    n = centrality.MIN_EVENTS_FOR_PERCENTILE
    many = centrality.for_file({}, np.arange(n, 0, -1), n)
    assert many[0].text == "0–5% (from multiplicity)"
    assert many[-1].label == "90–100%"


def test_estimator_beats_multiplicity():
    n = 60
    ids = {"bClass": np.array([3] * n)}
    cents = centrality.for_file(ids, np.arange(n, 0, -1), n)
    assert {c.label for c in cents} == {"30–40%"}
