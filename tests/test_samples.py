"""Checks on the bundled Pythia samples (sample_events/*.root), read with plain uproot.

Each test skips (through the ``sample`` fixture) when its file has not been
generated; ``make samples`` writes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import awkward as ak
import numpy as np
import pytest
import uproot

SAMPLES = Path(__file__).resolve().parents[1] / "sample_events"

#: file stem -> (collision_system, detector, sqrt_s in GeV)
FILES = {
    "higgs_diphoton_13TeV": ("pp", "CMS", 13000.0),
    "higgs_4l_13TeV": ("pp", "CMS", 13000.0),
    "auau_200GeV_star": ("Au+Au", "STAR", 200.0),
    "pbpb_5TeV_alice": ("Pb+Pb", "ALICE", 5020.0),
}
META_KEYS = ("format_version", "sqrt_s", "collision_system", "detector", "generator", "process",
             "is_simulation", "label", "seed", "detector_response")
COLLECTION_FIELDS = {
    "Track": ("pt", "eta", "phi", "charge", "pdgId", "vx", "vy", "vz"),
    "Photon": ("pt", "eta", "phi", "mass"),
    "Electron": ("pt", "eta", "phi", "mass", "charge", "pdgId"),
    "Muon": ("pt", "eta", "phi", "mass", "charge", "pdgId"),
    "Jet": ("pt", "eta", "phi", "mass"),
}
SCALARS = {"run": "int64", "luminosityBlock": "int64", "event": "int64",
           "Collision_b": "float32", "Collision_bClass": "int32", "Collision_nCharged": "int32",
           "MET_pt": "float32", "MET_phi": "float32",
           "PV_x": "float32", "PV_y": "float32", "PV_z": "float32"}
INT_FIELDS = ("charge", "pdgId")
#: Floats are stored with 12 mantissa bits, so a value just below a cut may round onto it.
ROUNDING = 1e-3
SIZE_LIMIT = 20e6


def _open(sample, stem):
    return uproot.open(sample(stem + ".root"))


def _pair_mass(pt, eta, phi):
    """Mass of the two leading objects: m^2 = 2 pT1 pT2 (cosh d_eta - cos d_phi)."""
    order = ak.argsort(pt, axis=1, ascending=False)
    pt, eta, phi = pt[order], eta[order], phi[order]
    two = ak.num(pt) >= 2
    pt, eta, phi = pt[two], eta[two], phi[two]
    m2 = 2 * pt[:, 0] * pt[:, 1] * (np.cosh(eta[:, 0] - eta[:, 1]) - np.cos(phi[:, 0] - phi[:, 1]))
    return np.sqrt(np.maximum(ak.to_numpy(m2), 0.0)), two


def _system_mass(arrays, coll_masses):
    """Invariant mass of the four leading leptons (electrons and muons together)."""
    parts = []
    for coll, mass in coll_masses:
        pt, eta, phi = arrays[coll + "_pt"], arrays[coll + "_eta"], arrays[coll + "_phi"]
        parts.append(ak.zip({"pt": pt, "eta": eta, "phi": phi,
                             "m": ak.full_like(pt, mass)}))
    lep = ak.concatenate(parts, axis=1)
    lep = lep[ak.argsort(lep.pt, axis=1, ascending=False)][:, :4]
    px, py = lep.pt * np.cos(lep.phi), lep.pt * np.sin(lep.phi)
    pz = lep.pt * np.sinh(lep.eta)
    e = np.sqrt((lep.pt * np.cosh(lep.eta)) ** 2 + lep.m**2)
    tot = [ak.to_numpy(ak.sum(c, axis=1)) for c in (px, py, pz, e)]
    return np.sqrt(np.maximum(tot[3] ** 2 - tot[0] ** 2 - tot[1] ** 2 - tot[2] ** 2, 0.0))


# --------------------------------------------------------------------------- every file


@pytest.mark.parametrize("stem", sorted(FILES))
def test_metadata(sample, stem):
    system, detector, sqrt_s = FILES[stem]
    with _open(sample, stem) as f:
        meta = json.loads(str(f["collider_viz_metadata"]))
        n_entries = f["Events"].num_entries
    assert all(key in meta for key in META_KEYS), set(META_KEYS) - set(meta)
    assert meta["format_version"] == 1
    assert meta["collision_system"] == system and meta["detector"] == detector
    assert meta["sqrt_s"] == pytest.approx(sqrt_s)
    assert meta["generator"] == "Pythia 8.317"
    assert meta["is_simulation"] is True and meta["label"] == "Simulation — Pythia 8"
    assert isinstance(meta["seed"], int) and meta["detector_response"]
    assert meta["n_events"] == n_entries


@pytest.mark.parametrize("stem", sorted(FILES))
def test_schema(sample, stem):
    with _open(sample, stem) as f:
        tree = f["Events"]
        branches = set(tree.keys())
        for name, dtype in SCALARS.items():
            assert name in branches, name
            assert tree[name].interpretation.to_dtype == np.dtype(dtype), name
        for coll, fields in COLLECTION_FIELDS.items():
            assert "n" + coll in branches
            for field in fields:
                assert f"{coll}_{field}" in branches, f"{coll}_{field}"
                want = "int32" if field in INT_FIELDS else "float32"
                content = tree[f"{coll}_{field}"].interpretation.content.to_dtype
                assert content == np.dtype(want), f"{coll}_{field}"


@pytest.mark.parametrize("stem", sorted(FILES))
def test_event_ids_and_vertices(sample, stem):
    with _open(sample, stem) as f:
        arr = f["Events"].arrays(["run", "luminosityBlock", "event", "PV_z", "Track_vz",
                                  "nTrack", "Collision_nCharged"])
    n = len(arr)
    assert np.all(arr.run == 1) and np.all(arr.luminosityBlock == 1)
    assert np.array_equal(ak.to_numpy(arr.event), np.arange(1, n + 1))
    assert np.array_equal(ak.to_numpy(arr.nTrack), ak.to_numpy(arr.Collision_nCharged))
    # Vertices are in cm: beam spots of a few to tens of cm, never metres or mm.
    assert 0.3 < np.std(ak.to_numpy(arr.PV_z)) < 60
    # Most tracks start at the primary vertex.
    dz = np.abs(arr.Track_vz - arr.PV_z)
    assert ak.mean(dz < 0.01) > 0.7


def test_total_size_below_limit():
    paths = [SAMPLES / (stem + ".root") for stem in FILES]
    if not all(p.exists() for p in paths):
        pytest.skip("not every sample has been generated")
    assert sum(p.stat().st_size for p in paths) < SIZE_LIMIT


# --------------------------------------------------------------------------- physics


def test_diphoton_counts_and_flag(sample):
    with _open(sample, "higgs_diphoton_13TeV") as f:
        arr = f["Events"].arrays(["Collision_isSignal", "nTrack", "nPhoton", "Photon_eta"])
    assert 2000 <= len(arr) <= 10000
    frac = float(np.mean(arr.Collision_isSignal))
    assert 0.15 < frac < 0.6
    assert 20 < float(np.mean(arr.nTrack)) < 400
    assert np.mean(arr.nPhoton >= 2) > 0.8
    assert ak.all(np.abs(arr.Photon_eta) < 2.5 + ROUNDING)


def test_diphoton_mass_peaks_at_125(sample):
    with _open(sample, "higgs_diphoton_13TeV") as f:
        arr = f["Events"].arrays(["Photon_pt", "Photon_eta", "Photon_phi", "Collision_isSignal"])
    mass, two = _pair_mass(arr.Photon_pt, arr.Photon_eta, arr.Photon_phi)
    counts, edges = np.histogram(mass, bins=np.arange(110.0, 140.01, 0.5))
    peak = 0.5 * (edges[np.argmax(counts)] + edges[np.argmax(counts) + 1])
    assert abs(peak - 125.0) < 1.0, peak
    # A bump, not a fluctuation: the 4 GeV window holds far more than its sidebands.
    window = np.sum((mass > 123) & (mass < 127))
    sidebands = np.sum(((mass > 115) & (mass < 119)) | ((mass > 131) & (mass < 135))) / 2
    assert window > 3 * sidebands
    signal = ak.to_numpy(arr.Collision_isSignal[two])
    assert abs(np.median(mass[signal]) - 125.0) < 1.0


def test_diphoton_continuum_falls(sample):
    with _open(sample, "higgs_diphoton_13TeV") as f:
        arr = f["Events"].arrays(["Photon_pt", "Photon_eta", "Photon_phi", "Collision_isSignal"])
    bkg = arr[~arr.Collision_isSignal]
    mass, _ = _pair_mass(bkg.Photon_pt, bkg.Photon_eta, bkg.Photon_phi)
    low = np.sum((mass > 100) & (mass < 120))
    mid = np.sum((mass > 130) & (mass < 150))
    high = np.sum((mass > 160) & (mass < 180))
    assert low > mid > high > 0


def test_four_lepton_sample(sample):
    with _open(sample, "higgs_4l_13TeV") as f:
        arr = f["Events"].arrays(filter_name=["nElectron", "nMuon", "Electron_*", "Muon_*"])
    assert 100 <= len(arr) <= 2000
    n_lep = ak.to_numpy(arr.nElectron + arr.nMuon)
    assert np.mean(n_lep >= 4) > 0.9
    four = arr[n_lep >= 4]
    m4l = _system_mass(four, (("Electron", 0.000511), ("Muon", 0.10566)))
    assert abs(np.median(m4l) - 125.0) < 2.0, np.median(m4l)
    assert np.mean((m4l > 115) & (m4l < 130)) > 0.7
    # Leptons carry charges and pdgIds consistent with each other.
    for coll, pdg in (("Electron", 11), ("Muon", 13)):
        ids, charge = ak.flatten(arr[coll + "_pdgId"]), ak.flatten(arr[coll + "_charge"])
        assert ak.all(np.abs(ids) == pdg) and ak.all(charge == -np.sign(ids))


def test_auau_multiplicity_rises_towards_central(sample):
    with _open(sample, "auau_200GeV_star") as f:
        arr = f["Events"].arrays(["Collision_b", "Collision_bClass", "Collision_nCharged",
                                  "Track_eta", "Track_pt"])
    assert 40 <= len(arr) <= 300
    classes = ak.to_numpy(arr.Collision_bClass)
    assert set(classes.tolist()) == set(range(10))
    nch = ak.to_numpy(arr.Collision_nCharged)
    means = np.array([nch[classes == c].mean() for c in range(10)])
    assert np.all(np.diff(means) < 0), means  # class 0 (central) has the most tracks
    assert means[0] > 500
    assert np.all(np.diff(ak.to_numpy(arr.Collision_b)) >= 0)  # stored by impact parameter
    assert ak.all(np.abs(arr.Track_eta) < 1.0 + ROUNDING)
    assert ak.all(arr.Track_pt > 0.15 - ROUNDING)


def test_pbpb_central_event_is_dense(sample):
    with _open(sample, "pbpb_5TeV_alice") as f:
        arr = f["Events"].arrays(["Collision_b", "Collision_bClass", "nTrack"])
    assert 3 <= len(arr) <= 12
    b = ak.to_numpy(arr.Collision_b)
    n_track = ak.to_numpy(arr.nTrack)
    assert n_track[np.argmin(b)] >= 15000
    assert np.max(ak.to_numpy(arr.Collision_bClass)) >= 7  # at least one peripheral event
    assert n_track[np.argmax(b)] < n_track[np.argmin(b)] / 5


# --------------------------------------------------------------------------- imposed flow


def _expected_v2(system, tracks, cents, gap):
    """v2{2} the afterburner's v2(pT, c) predicts for these events and sub-events."""
    import sys
    sys.path.insert(0, str(SAMPLES))
    from genlib import afterburner

    from collider_viz.physics import flow
    num = den = 0.0
    for trk, cent in zip(flow.selected(tracks), cents, strict=True):
        pt, eta = ak.to_numpy(trk.pt), ak.to_numpy(trk.eta)
        v2 = afterburner.v2_of(system, pt, cent)
        num += v2[eta < -gap / 2].sum() * v2[eta > gap / 2].sum()
        den += (eta < -gap / 2).sum() * (eta > gap / 2).sum()
    return np.sqrt(num / den)


@pytest.mark.parametrize(("stem", "system", "lo", "hi"), [
    ("auau_200GeV_star", "Au+Au", 10, 50), ("pbpb_5TeV_alice", "Pb+Pb", 0, 10)])
def test_heavy_ion_v2_follows_the_parameterisation(sample, stem, system, lo, hi):
    """Measured v2{2, |Δη| > 1} of the classes with enough tracks against the imposed v2."""
    from collider_viz.io.registry import open_events
    from collider_viz.physics import flow
    path = sample(stem + ".root")
    with _open(sample, stem) as f:
        meta = json.loads(str(f["collider_viz_metadata"]))
    assert "imposed, not simulated" in meta["flow"]
    with open_events(str(path)) as source:
        batch = source.read(0, len(source), collections=["tracks"])
    psi = np.asarray(batch.ids["psiRP"])
    assert np.all((psi >= 0) & (psi <= np.pi))
    b = np.asarray(batch.ids["b"], dtype=float)
    cent = 100 * b**2 / meta["b_max_fm"] ** 2
    idx = np.where((cent >= lo) & (cent < hi))[0]
    tracks = batch.collections["tracks"][idx]
    result = flow.class_flow(flow.sub_events(tracks).sums(), "x", lo, hi)
    expected = _expected_v2(system, tracks, cent[idx], flow.ETA_GAP)
    assert 0.02 < expected < 0.08
    assert abs(result.v2 - expected) < 3 * result.v2_err, (result.v2, result.v2_err, expected)
    assert result.v2 > 2 * result.v2_err  # flow is seen, not compatible with 0


@pytest.mark.parametrize("stem", ["auau_200GeV_star", "pbpb_5TeV_alice"])
def test_table_overlay_and_flow_agree_on_centrality(sample, stem):
    """One definition: the events table, the overlay and ``flow`` give every event one class."""
    from collider_viz.io.registry import open_events
    from collider_viz.physics import centrality
    from collider_viz.scene.summary import SourceStats, overlay_lines
    with open_events(str(sample(stem + ".root"))) as source:
        stats = SourceStats.from_source(source)
        batch = source.read(0, len(source), collections=["tracks"])
        table = stats.class_labels()
        flow_classes = centrality.for_file(batch.ids, None, len(batch))
        for entry in range(len(source)):
            event = batch.event(entry, source.info)
            b_class = int(batch.ids["bClass"][entry])
            truth = f"{10 * b_class}–{10 * b_class + 10}%"
            lines = overlay_lines(event, stats)
            assert table[entry] == flow_classes[entry].label == truth, entry
            if not len(event["tracks"]):  # no overlay for an event without tracks
                assert lines == []
                continue
            line = lines[1]
            assert line.startswith(f"Centrality {truth} (generator impact parameter"), line


def test_diphoton_peak_width_and_stated_enhancement(sample):
    """CMS-like σ (1–2.5 GeV, Gaussian core fit) and the signal enhancement in the metadata."""
    with _open(sample, "higgs_diphoton_13TeV") as f:
        meta = json.loads(str(f["collider_viz_metadata"]))
        arr = f["Events"].arrays(["Photon_pt", "Photon_eta", "Photon_phi", "Collision_isSignal"])
    mass, two = _pair_mass(arr.Photon_pt, arr.Photon_eta, arr.Photon_phi)
    sig = mass[ak.to_numpy(arr.Collision_isSignal[two]).astype(bool)]
    mu, sigma = 125.0, 2.0
    for _ in range(30):  # Gaussian core: ±2σ window, σ of a truncated Gaussian = 0.8796 σ
        core = sig[np.abs(sig - mu) < 2 * sigma]
        mu, sigma = core.mean(), core.std() / 0.8796
    assert abs(mu - 125.0) < 0.5 and 1.0 < sigma < 2.5, (mu, sigma)
    inside = (mass > 120) & (mass < 130)
    signal = ak.to_numpy(arr.Collision_isSignal[two]).astype(bool)
    sb = np.sum(inside & signal) / np.sum(inside & ~signal)
    assert meta["signal_enhancement"] == pytest.approx(sb / 0.03, rel=0.05)
    assert meta["signal_enhancement"] > 10  # far from nature: the legend must say so


def test_enhanced_signal_is_said_in_the_legend_and_the_export(sample):
    """The scan carries ``signal_enhancement``; the dock legend and the exported PNG say it."""
    from matplotlib.figure import Figure

    from collider_viz.export.spectrum import render_spectrum
    from collider_viz.gui.spectrum_plot import draw_layers
    from collider_viz.io.registry import open_events
    from collider_viz.physics.scan import scan_source
    with open_events(str(sample("higgs_diphoton_13TeV.root"))) as source:
        result = scan_source(source, "hgg", stop=600, prefetch=False)
    assert result.signal_enhancement == 110
    ax = Figure().add_subplot(111)
    draw_layers(ax, result, None, None, 125.0)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("signal ×110 for visibility" in t for t in texts), texts
    plain = render_spectrum(result, size=(640, 360))
    result.signal_enhancement = None
    without = render_spectrum(result, size=(640, 360))
    assert plain.shape == without.shape and np.any(plain != without)  # the line is drawn
