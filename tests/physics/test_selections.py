"""Selection presets on hand-built events, with values on each side of every cut."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import vector

from collider_viz.errors import SelectionError
from collider_viz.physics.event import EventBatch, particles
from collider_viz.physics.selections import PRESETS, get_selection

vector.register_awkward()


def pair(pt1: float, pt2: float, mass: float, eta: float) -> tuple[tuple, tuple]:
    """Two massless objects of invariant ``mass``: the first at ``eta``, φ = 0.

    Same η when possible (then Δφ sets the mass), else back to back in φ and
    placed symmetrically about ``eta`` with the Δη needed.
    """
    c = mass**2 / (2.0 * pt1 * pt2)
    if c <= 2.0:
        return (pt1, eta, 0.0), (pt2, eta, float(np.arccos(1.0 - c)))
    deta = float(np.arccosh(c - 1.0))
    return (pt1, eta + deta / 2, 0.0), (pt2, eta - deta / 2, np.pi)


def objects(rows: list[list[tuple]], **extra: list[list]) -> ak.Array:
    """Events from rows of ``(pt, eta, phi[, charge])`` tuples (massless)."""
    def col(i: int, default: float = 0.0) -> list[list[float]]:
        return [[o[i] if len(o) > i else default for o in row] for row in rows]

    return particles(ak.Array(col(0)), ak.Array(col(1)), ak.Array(col(2)),
                     ak.Array([[0.0] * len(r) for r in rows]), ak.Array(col(3)),
                     **{k: ak.Array(v) for k, v in extra.items()})


def gg(pt1: float, pt2: float, mass: float, eta: float = 0.3) -> list[tuple]:
    return list(pair(pt1, pt2, mass, eta))


def run_hgg(rows: list[list[tuple]], **extra: list[list]):
    return PRESETS["hgg"].apply(EventBatch(0, {"photons": objects(rows, **extra)}))


def test_hgg_pt_floors():
    res = run_hgg([gg(30.0, 25.0, 50.0), gg(30.1, 25.0, 50.0),
                   gg(40.0, 20.0, 50.0), gg(40.0, 20.1, 50.0)])
    assert res.passed.tolist() == [False, True, False, True]


def test_hgg_pt_over_mass():
    res = run_hgg([gg(39.95, 35.0, 120.0), gg(40.05, 35.0, 120.0),
                   gg(50.0, 29.95, 120.0), gg(50.0, 30.05, 120.0)])
    assert res.passed.tolist() == [False, True, False, True]
    np.testing.assert_allclose(res.mass[res.passed], 120.0, rtol=1e-9)


@pytest.mark.parametrize("eta, ok", [(1.4441, True), (1.4442, True), (1.4443, False),
                                     (1.5659, False), (1.566, True), (1.5661, True),
                                     (2.4999, True), (2.5, False), (-1.5, False), (-2.0, True)])
def test_hgg_eta_acceptance_and_gap(eta, ok):
    assert run_hgg([gg(60.0, 50.0, 77.0, eta=eta)]).passed.tolist() == [ok]


def test_hgg_photon_id_used_when_present():
    rows = [gg(60.0, 50.0, 90.0)] * 3
    res = run_hgg(rows, mvaID_WP90=[[True, True], [True, False], [False, False]])
    assert res.passed.tolist() == [True, False, False]
    res = run_hgg(rows, cutBased=[[3, 1], [1, 0], [2, 2]])
    assert res.passed.tolist() == [True, False, True]


def test_hgg_candidate_is_highest_sum_pt_pair_with_original_indices():
    # photon 0 fails η; of the pairs of photons 1-3 (pT 45, 40, 100), (1, 3) has the highest sum
    p1, p3 = pair(45.0, 100.0, 125.0, 0.1)
    row = [(200.0, 3.0, 0.0), p1, (40.0, 0.1, 1.0), p3]
    res = run_hgg([row, []])
    assert res.passed.tolist() == [True, False]
    assert res.indices(0) == {"photons": [1, 3]}
    assert res.indices(1) == {}
    assert res.objects["photons"][1].tolist() == [-1, -1]
    np.testing.assert_allclose(res.mass[0], 125.0, rtol=1e-9)
    assert np.isnan(res.mass[1])


def test_hgg_matches_brute_force_combinations_on_random_events():
    rng = np.random.default_rng(7)
    counts = rng.integers(0, 6, 3000)
    n = int(counts.sum())
    pt, eta = 15 + rng.exponential(30, n), rng.uniform(-3, 3, n)
    phi = rng.uniform(-np.pi, np.pi, n)
    photons = particles(ak.unflatten(pt, counts), ak.unflatten(eta, counts),
                        ak.unflatten(phi, counts), ak.unflatten(np.zeros(n), counts))
    res = PRESETS["hgg"].apply(EventBatch(0, {"photons": photons}))
    ref_pass, ref_mass = brute_force_hgg(photons)
    assert res.passed.tolist() == ref_pass.tolist()
    np.testing.assert_allclose(res.mass[res.passed], ref_mass[ref_pass], rtol=1e-9)
    assert res.passed.sum() > 100


def brute_force_hgg(photons: ak.Array) -> tuple[np.ndarray, np.ndarray]:
    aeta = abs(photons.eta)
    good = photons[(photons.pt > 20) & (aeta < 2.5) & ~((aeta > 1.4442) & (aeta < 1.566))]
    a, b = ak.unzip(ak.combinations(good, 2))
    m = (a + b).mass
    lead, sub = np.maximum(a.pt, b.pt), np.minimum(a.pt, b.pt)
    ok = (lead > 30) & (sub > 20) & (lead > m / 3) & (sub > m / 4)
    sumpt = ak.where(ok, a.pt + b.pt, -1.0)
    best = ak.argmax(sumpt, axis=1, keepdims=True)
    passed = ak.fill_none(ak.firsts(ok[best]), False)
    return ak.to_numpy(passed), ak.to_numpy(ak.fill_none(ak.firsts(m[best]), np.nan))


def dimuon_batch(rows: list[list[tuple]], name: str = "muons") -> EventBatch:
    return EventBatch(0, {name: objects(rows)})


def ll(pt1: float, pt2: float, mass: float, q1: int = 1, q2: int = -1,
       eta: float = 0.0) -> list[tuple]:
    a, b = pair(pt1, pt2, mass, eta)
    return [(*a, q1), (*b, q2)]


@pytest.mark.parametrize("name, coll", [("zmumu", "muons"), ("zee", "electrons")])
def test_z_window_charge_and_pt(name, coll):
    rows = [ll(40, 35, 59.9), ll(40, 35, 60.1), ll(40, 35, 119.9), ll(40, 35, 120.1),
            ll(40, 35, 91.0, 1, 1), ll(40, 35, 91.0, -1, -1),
            ll(100, 10.0, 91.0), ll(100, 10.1, 91.0), ll(20.0, 15, 91.0), ll(15, 20.1, 91.0)]
    res = PRESETS[name].apply(dimuon_batch(rows, coll))
    assert res.passed.tolist() == [False, True, True, False, False, False,
                                   False, True, False, True]


def test_z_eta_acceptance():
    rows = [ll(40, 35, 70.0, eta=2.39), ll(40, 35, 70.0, eta=2.41)]
    assert PRESETS["zmumu"].apply(dimuon_batch(rows)).passed.tolist() == [True, False]
    rows = [ll(40, 35, 70.0, eta=2.49), ll(40, 35, 70.0, eta=2.51)]
    assert PRESETS["zee"].apply(dimuon_batch(rows, "electrons")).passed.tolist() == [True, False]


def test_jpsi_window():
    rows = [ll(5, 4, 2.89), ll(5, 4, 2.91), ll(5, 4, 3.29), ll(5, 4, 3.31), ll(5, 2.9, 3.1),
            ll(5, 4, 3.1, -1, -1)]
    res = PRESETS["jpsi"].apply(dimuon_batch(rows))
    assert res.passed.tolist() == [False, True, True, False, False, False]


def four_leptons(z1: float, z2: float, flav: tuple[str, str] = ("muons", "muons"),
                 pts: tuple[float, ...] = (60, 50, 45, 40), eta2: float = -0.5) -> dict:
    """One event: Z1 pair about η 0.8 near φ 0, Z2 pair about ``eta2`` near φ π (massless)."""
    z1_pair = ll(pts[0], pts[1], z1, eta=0.8)
    z2_pair = [(pt, eta, phi + np.pi, q) for pt, eta, phi, q in ll(pts[2], pts[3], z2, eta=eta2)]
    out: dict[str, list[tuple]] = {"electrons": [], "muons": []}
    out[flav[0]] += z1_pair
    out[flav[1]] += z2_pair
    return out


def run_h4l(events: list[dict]):
    colls = {name: objects([ev[name] for ev in events]) for name in ("electrons", "muons")}
    return PRESETS["h4l"].apply(EventBatch(0, colls))


def test_h4l_z_mass_ranges():
    # 2e2μ: only one way to pair the leptons
    masses = [(91, 30), (39.9, 30), (40.1, 30), (91, 11.9), (91, 12.1), (91, 119.9),
              (91, 120.1), (119.9, 50), (120.1, 50)]
    res = run_h4l([four_leptons(z1, z2, ("electrons", "muons")) for z1, z2 in masses])
    assert res.passed.tolist() == [True, False, True, False, True, True, False, True, False]


def test_h4l_flavours_indices_and_mass():
    res = run_h4l([four_leptons(91, 30, ("electrons", "muons")),
                   four_leptons(91, 30, ("muons", "electrons"))])
    assert res.passed.tolist() == [True, True]
    assert res.indices(0) == {"electrons": [0, 1], "muons": [0, 1]}
    ev = four_leptons(91, 30)
    mu = objects([ev["muons"]])[0]
    np.testing.assert_allclose(run_h4l([ev]).mass[0], (mu[0] + mu[1] + mu[2] + mu[3]).mass,
                               rtol=1e-9)


def test_h4l_needs_opposite_sign_same_flavour():
    ev = four_leptons(91, 30, ("electrons", "muons"))
    ev["muons"] = [(pt, eta, phi, 1) for pt, eta, phi, _ in ev["muons"]]  # same sign
    base = four_leptons(91, 30)["muons"]  # charges +, -, +, -: each OS pair is e-μ below
    mixed = {"electrons": [base[0], base[2]], "muons": [base[1], base[3]]}
    assert run_h4l([four_leptons(91, 30)]).passed.tolist() == [True]
    assert run_h4l([ev, mixed]).passed.tolist() == [False, False]


@pytest.mark.parametrize("pts, ok", [((50, 40, 30, 25), True), ((19.9, 19, 18, 17), False),
                                     ((30, 9.9, 9, 8), False), ((30, 10.1, 9, 8), True)])
def test_h4l_leading_subleading(pts, ok):
    assert run_h4l([four_leptons(60, 20, pts=pts, eta2=-1.5)]).passed.tolist() == [ok]


@pytest.mark.parametrize("flav, low, ok", [("muons", 5.1, True), ("muons", 4.9, False),
                                           ("electrons", 7.1, True), ("electrons", 6.9, False)])
def test_h4l_lepton_pt_thresholds(flav, low, ok):
    ev = four_leptons(91, 12.5, (flav, flav), pts=(50, 40, 30, low), eta2=-1.5)
    assert run_h4l([ev]).passed.tolist() == [ok]


@pytest.mark.parametrize("flav, eta, ok", [("muons", -2.39, True), ("muons", -2.41, False),
                                           ("electrons", -2.49, True), ("electrons", -2.51, False)])
def test_h4l_lepton_eta(flav, eta, ok):
    ev = four_leptons(91, 30, (flav, flav), pts=(50, 40, 30, 25), eta2=eta)
    assert run_h4l([ev]).passed.tolist() == [ok]


def test_registry_and_docs():
    assert set(PRESETS) == {"hgg", "h4l", "zmumu", "zee", "jpsi", "b2hhh"}
    assert get_selection("HGG") is PRESETS["hgg"]
    with pytest.raises(SelectionError, match="hgg, h4l"):
        get_selection("higgs")
    assert "3076" in type(PRESETS["hgg"]).__doc__
    assert "JHEP 11 (2017) 047" in type(PRESETS["h4l"]).__doc__
    for sel in PRESETS.values():
        assert sel.summary and len(sel.bins) == 3 and sel.collections


def test_missing_collection_is_a_selection_error():
    with pytest.raises(SelectionError, match="photons"):
        PRESETS["hgg"].apply(EventBatch(0, {"muons": objects([[]])}))
    with pytest.raises(SelectionError, match="electrons or muons"):
        PRESETS["h4l"].apply(EventBatch(0, {"photons": objects([[]])}))
