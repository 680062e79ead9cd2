"""The CMS 2010 dimuon ntuple (uproot-Zmumu.root) through its layout: one event per collision."""

from __future__ import annotations

from collections import Counter

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz import open_events

FILE = "cms_root/uproot-Zmumu.root"


@pytest.fixture
def zmumu(opendata):
    return opendata(FILE)


@pytest.fixture
def raw(zmumu):
    return uproot.open(zmumu)["events"].arrays(library="np")


def test_one_event_per_collision(zmumu, raw):
    src = open_events(zmumu)
    collisions = set(zip(raw["Run"].tolist(), raw["Event"].tolist()))
    assert src.format == "dimuon" and len(src) == len(collisions) == 500
    assert src.info.sqrt_s == 7000.0 and not src.info.is_simulation
    ids = src.event_ids()
    assert len(set(zip(ids["run"].tolist(), ids["event"].tolist()))) == 500
    (name, why), = src.info.not_read
    assert name == "1804 repeated rows"
    assert "2304 rows (Type GG 516, GT 1145, TT 643)" in why and "kept: GG 500" in why
    assert (src.reader.counts()["muons"] == 2).all()


def test_kept_rows_are_the_preferred_type(zmumu, raw):
    batch = open_events(zmumu).read(0, 500)
    types = {}
    for run, event, kind in zip(raw["Run"], raw["Event"], raw["Type"]):
        types.setdefault((run, event), set()).add(kind)
    order = ["GG", "GT", "TT"]
    expected = Counter(min(t, key=order.index) for t in types.values())
    assert Counter(batch.ids["Type"].tolist()) == expected


def test_muons_match_the_kept_rows(zmumu, raw):
    src = open_events(zmumu)
    batch = src.read(0, len(src))
    # the kept row of each collision: the first row of the most preferred Type
    rank = {"GG": 0, "GT": 1, "TT": 2}
    best: dict = {}
    for row, key in enumerate(zip(raw["Run"], raw["Event"])):
        if key not in best or rank[raw["Type"][row]] < rank[raw["Type"][best[key]]]:
            best[key] = row
    rows = np.sort(np.array(list(best.values())))
    muons = batch.collections["muons"]
    for i in (1, 2):
        got = muons[:, i - 1]
        for comp in ("px", "py", "pz"):
            np.testing.assert_allclose(ak.to_numpy(getattr(got, comp)), raw[f"{comp}{i}"][rows],
                                       rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(ak.to_numpy(got.E), raw[f"E{i}"][rows], rtol=1e-6)
        np.testing.assert_array_equal(ak.to_numpy(got.charge), raw[f"Q{i}"][rows])


def test_stored_mass_reproduced(zmumu):
    batch = open_events(zmumu).read(0, 500)
    muons = batch.collections["muons"]
    mass = ak.to_numpy((muons[:, 0] + muons[:, 1]).mass)
    np.testing.assert_allclose(mass, batch.ids["M"], rtol=1e-6)
    assert 85 < np.median(batch.ids["M"]) < 95
    assert mass.max() < 14000


def test_event_extra_has_mass_and_type(zmumu):
    event = open_events(zmumu)[0]
    assert (event.meta.run, event.meta.event) == (148031, 10507008)
    assert event.meta.extra["Type"] == "GG"
    assert event.meta.extra["M"] == pytest.approx(82.1493728809)
    assert len(event["muons"]) == 2


def test_merge_option_keeps_every_muon_of_a_collision(zmumu, raw, tmp_path):
    """With ``merge = true`` the rows of the kept Type become one event with their distinct
    muons: the 8 collisions with three global muons (three GG pairs) keep all three."""
    from collider_viz.io.formats.layout import shipped_layouts

    spec = next(s for s in shipped_layouts() if s.format == "dimuon")
    text = open(spec_path(spec), encoding="utf-8").read().replace(
        'order = ["GG", "GT", "TT"] }', 'order = ["GG", "GT", "TT"] }\nmerge = true')
    mapping = tmp_path / "merged.toml"
    mapping.write_text(text)
    with open_events(zmumu, mapping=mapping) as src:
        batch = src.read(0, len(src))
        counts = src.reader.counts()["muons"]
        assert "their distinct objects are merged" in src.info.not_read[0][1]
    muons = batch.collections["muons"]
    assert len(muons) == 500 and np.bincount(ak.num(muons)).tolist() == [0, 0, 492, 8]
    assert counts.tolist() == ak.num(muons).tolist()
    # every GG row's muons are in its collision's event
    gg = raw["Type"] == "GG"
    energies = {}
    for run, event, e1, e2 in zip(raw["Run"][gg], raw["Event"][gg], raw["E1"][gg], raw["E2"][gg]):
        energies.setdefault((run, event), set()).update((e1, e2))
    for i, key in enumerate(zip(batch.ids["run"], batch.ids["event"])):
        np.testing.assert_allclose(sorted(ak.to_list(muons.E[i])), sorted(energies[key]),
                                   rtol=1e-9)


def spec_path(spec):
    from importlib import resources

    return resources.files("collider_viz.io").joinpath(spec.path)
