"""Invariant masses and lepton pairing, against hand formulas and real CMS data."""

from __future__ import annotations

import itertools
import math

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz.physics.event import particles, particles_from_cartesian
from collider_viz.physics.kinematics import (
    Z_MASS,
    dilepton_candidates,
    diphoton_mass,
    four_lepton,
    invariant_mass,
    invariant_mass_events,
    pdg_mass,
    pdg_name,
)


def _massless_pair_mass(pt1, eta1, phi1, pt2, eta2, phi2):
    """m² = 2 pT1 pT2 (cosh Δη - cos Δφ) for massless particles."""
    return math.sqrt(2 * pt1 * pt2 * (math.cosh(eta1 - eta2) - math.cos(phi1 - phi2)))


def test_pdg_lookups():
    assert pdg_name(13) == "mu-" and pdg_name(-11) == "e+" and pdg_name(22) == "gamma"
    assert pdg_mass(13) == pytest.approx(0.1056584, rel=1e-6)
    assert Z_MASS == pytest.approx(91.1876, abs=0.005)
    assert pdg_name(99999999) == "99999999" and math.isnan(pdg_mass(99999999))


def test_two_photons_match_the_hand_formula():
    kin = [(45.0, 0.3, 0.1), (38.0, -1.2, 2.9)]
    photons = particles([k[0] for k in kin], [k[1] for k in kin], [k[2] for k in kin],
                        [0.0, 0.0])
    expected = _massless_pair_mass(*kin[0], *kin[1])
    assert invariant_mass(photons) == pytest.approx(expected, rel=1e-12)
    assert invariant_mass(photons[0], photons[1]) == pytest.approx(expected, rel=1e-12)
    assert diphoton_mass(photons) == pytest.approx(expected, rel=1e-12)


def test_diphoton_mass_takes_the_leading_two_per_event():
    pt = [[10.0, 60.0, 50.0], [30.0], [], [25.0, 25.0]]
    eta = [[2.0, 0.5, -0.5], [0.0], [], [1.0, -1.0]]
    phi = [[1.0, 0.0, 3.0], [0.0], [], [0.0, 1.0]]
    photons = particles(pt, eta, phi, ak.zeros_like(pt))
    masses = diphoton_mass(photons)
    assert masses.shape == (4,)
    assert masses[0] == pytest.approx(_massless_pair_mass(60, 0.5, 0.0, 50, -0.5, 3.0), rel=1e-12)
    assert np.isnan(masses[1]) and np.isnan(masses[2])
    assert masses[3] == pytest.approx(_massless_pair_mass(25, 1, 0, 25, -1, 1), rel=1e-12)


def _z_to_mumu(charges=(1, -1), flavours=(13, 13)):
    """Two back-to-back muons from a Z at rest: E = m_Z / 2 each."""
    m_mu = pdg_mass(13)
    p = math.sqrt((Z_MASS / 2) ** 2 - m_mu**2)
    return particles([[p, p]], [[0.0, 0.0]], [[0.4, 0.4 - math.pi]], [[m_mu, m_mu]],
                     [list(charges)], pdgId=[[-c * f for c, f in zip(charges, flavours)]])


def test_z_to_mumu_mass():
    muons = _z_to_mumu()
    assert invariant_mass(muons[0]) == pytest.approx(Z_MASS, rel=1e-12)
    assert invariant_mass_events(muons)[0] == pytest.approx(Z_MASS, rel=1e-12)
    pairs = dilepton_candidates(muons)
    assert ak.num(pairs).tolist() == [1]
    assert pairs.mass[0, 0] == pytest.approx(Z_MASS, rel=1e-12)
    assert (pairs.i1[0, 0], pairs.i2[0, 0], pairs.flavour[0, 0]) == (0, 1, 13)
    assert len(dilepton_candidates(muons[0])) == 1  # one event as a 1D collection
    assert ak.num(dilepton_candidates(_z_to_mumu(charges=(1, 1)))).tolist() == [0]
    assert ak.num(dilepton_candidates(_z_to_mumu(flavours=(11, 13)))).tolist() == [0]


def test_zmumu_open_data_mass_column(opendata):
    path = opendata("cms_root/uproot-Zmumu.root")
    with uproot.open(path) as f:
        data = f["events"].arrays(library="np")
    mu1 = particles_from_cartesian(data["px1"], data["py1"], data["pz1"], data["E1"], data["Q1"])
    mu2 = particles_from_cartesian(data["px2"], data["py2"], data["pz2"], data["E2"], data["Q2"])
    mass = invariant_mass_events(mu1, mu2)
    assert len(mass) == 2304
    # the file stores doubles: every event agrees far better than the 1e-3 asked for
    np.testing.assert_allclose(mass, data["M"], rtol=1e-6)
    assert np.median(np.abs(mass / data["M"] - 1)) < 1e-9
    in_peak = np.abs(mass - Z_MASS) < 10
    assert in_peak.mean() > 0.5  # a Z peak, not noise


def _brute_force_4l(leptons):
    """Z1 closest to m_Z, then the Z2 with the highest scalar pT sum (massless leptons)."""
    def mass(i, j):
        a, b = leptons[i], leptons[j]
        return _massless_pair_mass(a["pt"], a["eta"], a["phi"], b["pt"], b["eta"], b["phi"])

    def ossf(i, j):
        return (leptons[i]["q"] * leptons[j]["q"] < 0) and leptons[i]["f"] == leptons[j]["f"]

    best = None
    for z1 in itertools.combinations(range(len(leptons)), 2):
        for z2 in itertools.combinations(sorted(set(range(len(leptons))) - set(z1)), 2):
            if ossf(*z1) and ossf(*z2):
                key = (abs(mass(*z1) - Z_MASS), -(leptons[z2[0]]["pt"] + leptons[z2[1]]["pt"]))
                if best is None or key < best[0]:
                    best = (key, z1, z2)
    _, z1, z2 = best
    four = z1 + z2
    m4 = math.sqrt(sum(mass(i, j) ** 2 for i, j in itertools.combinations(four, 2)))
    return m4, mass(*z1), mass(*z2), four


def _split(leptons):
    """Per-flavour jagged collections (one event) of massless leptons."""
    out = {}
    for flavour in (11, 13):
        chosen = [lep for lep in leptons if lep["f"] == flavour]
        out[flavour] = particles([[c["pt"] for c in chosen]], [[c["eta"] for c in chosen]],
                                 [[c["phi"] for c in chosen]], [[0.0] * len(chosen)],
                                 [[c["q"] for c in chosen]])
    return out[11], out[13]


def test_four_lepton_pairing_picks_z1_closest_to_z_mass():
    half = Z_MASS / 2
    # pair (0, 1) at exactly m_Z, pair (2, 3) at 30 GeV; cross pairs are ~37 GeV
    leptons = [dict(pt=half, eta=0.0, phi=0.0, q=1, f=13), dict(pt=half, eta=0.0, phi=math.pi, q=-1, f=13),
               dict(pt=15.0, eta=0.0, phi=math.pi / 2, q=1, f=13),
               dict(pt=15.0, eta=0.0, phi=-math.pi / 2, q=-1, f=13)]
    result = four_lepton(*_split(leptons))[0]
    assert result["z1_mass"] == pytest.approx(Z_MASS, rel=1e-12)
    assert result["z2_mass"] == pytest.approx(30.0, rel=1e-12)
    assert sorted(result["indices"][:2]) == [0, 1] and result["channel"] == "4mu"
    assert result["mass"] == pytest.approx(_brute_force_4l(leptons)[0], rel=1e-12)


def test_four_lepton_matches_brute_force_on_random_events():
    rng = np.random.default_rng(5)
    for _ in range(25):
        n = rng.integers(4, 7)
        leptons = [dict(pt=float(rng.uniform(5, 80)), eta=float(rng.uniform(-2.4, 2.4)),
                        phi=float(rng.uniform(-np.pi, np.pi)), q=int(rng.choice([-1, 1])),
                        f=int(rng.choice([11, 13]))) for _ in range(n)]
        electrons, muons = _split(leptons)
        result = four_lepton(electrons, muons)[0]
        try:
            expected = _brute_force_4l(leptons)
        except TypeError:  # no two OSSF pairs
            assert result is None
            continue
        m4, mz1, mz2, four = expected
        assert (result["mass"], result["z1_mass"], result["z2_mass"]) == pytest.approx(
            (m4, mz1, mz2), rel=1e-9)
        by_flavour = {11: [lep for lep in leptons if lep["f"] == 11],
                      13: [lep for lep in leptons if lep["f"] == 13]}
        chosen = [by_flavour[f][i] for f, i in zip(result["flavours"], result["indices"])]
        assert {id(c) for c in chosen} == {id(leptons[i]) for i in four}


def test_four_lepton_none_without_candidates_and_vectorised():
    electrons = particles([[40.0, 30.0], [20.0]], [[0.1, -0.3], [0.0]], [[0.0, 2.0], [1.0]],
                          [[0.0, 0.0], [0.0]], [[1, -1], [1]])
    muons = particles([[50.0, 20.0], [10.0, 12.0]], [[1.0, -1.0], [0.0, 0.0]],
                      [[0.5, -2.0], [0.0, 1.0]], [[0.1, 0.1], [0.1, 0.1]], [[-1, 1], [1, -1]])
    result = four_lepton(electrons, muons)
    assert len(result) == 2 and result[1] is None
    assert result[0]["channel"] == "2e2mu"
    assert sorted(result[0]["flavours"]) == [11, 11, 13, 13]
    assert four_lepton(None, muons).tolist() == [None, None]
