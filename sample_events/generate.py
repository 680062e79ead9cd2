#!/usr/bin/env python3
"""Generate collider_viz's bundled sample files with Pythia 8 and a simple detector response.

Every file is a *simulation*: events come from Pythia 8.317 (``pythia8mc``),
then a deliberately simple, documented detector response (acceptance cuts and
Gaussian smearing, no material, no fakes) turns the final state into the
NanoAOD-like collections of ``docs/ARCHITECTURE.md`` ("Own sample format").

Usage::

    python sample_events/generate.py                    # all four files
    python sample_events/generate.py --only pbpb_5TeV_alice --events 2
    python sample_events/generate.py --only higgs_4l_13TeV --events 3 --outdir /tmp

Seeds are fixed, so a run reproduces the files (same Pythia build and numpy).
See ``sample_events/README.md`` for settings, acceptance and timings.

The work is done by the ``genlib`` package next to this script (Pythia set-up,
detector response, processes, writer); its names are re-exported here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # imported as a module rather than run as a script
    sys.path.insert(0, str(HERE))

from genlib.processes import (  # noqa: E402
    B_MAX_AUAU,
    B_MAX_PBPB,
    HIGGS_4L,
    HIGGS_DIPHOTON,
    HIGGS_GG,
    PROMPT_DIPHOTON,
    SAMPLES,
    Sample,
    auau_quotas,
    auau_sample,
    b_class,
    diphoton_in_acceptance,
    diphoton_sample,
    four_lepton_sample,
    four_leptons_in_acceptance,
    generate_pp,
    heavy_ion_settings,
    pbpb_sample,
    pp_settings,
    sample_classes,
)
from genlib.pythia_setup import (  # noqa: E402
    ANGANTYR_200,
    ANGANTYR_5020,
    COMMON_SETTINGS,
    is_hard_photon,
    make_pythia,
    make_slowjet,
    next_event,
    read_final_state,
)
from genlib.reco import (  # noqa: E402
    delta_r,
    ecal_factor,
    isolated_directions,
    pick,
    reco_jets,
    reco_leptons,
    reco_met,
    reco_photons,
    reco_tracks,
    relative_isolation,
)
from genlib.response import ALICE, CMS, STAR, Response, empty_collection, reconstruct  # noqa: E402
from genlib.writer import (  # noqa: E402
    CHUNK,
    COLLECTIONS,
    GENERATOR,
    LABEL,
    MANTISSA_BITS,
    build,
    column_of,
    compress_floats,
    metadata,
    to_columns,
    write_sample,
)

__all__ = [
    "ALICE", "ANGANTYR_200", "ANGANTYR_5020", "B_MAX_AUAU", "B_MAX_PBPB", "CHUNK", "CMS",
    "COLLECTIONS", "COMMON_SETTINGS", "GENERATOR", "HERE", "HIGGS_4L", "HIGGS_DIPHOTON",
    "HIGGS_GG", "LABEL", "MANTISSA_BITS", "PROMPT_DIPHOTON", "Response", "SAMPLES", "STAR",
    "Sample", "auau_quotas", "auau_sample", "b_class", "build", "column_of", "compress_floats",
    "delta_r", "diphoton_in_acceptance", "diphoton_sample", "ecal_factor", "empty_collection",
    "four_lepton_sample", "four_leptons_in_acceptance", "generate_pp", "heavy_ion_settings",
    "is_hard_photon", "isolated_directions", "main", "make_pythia", "make_slowjet", "metadata",
    "next_event", "pbpb_sample", "pick", "pp_settings", "read_final_state", "reco_jets",
    "reco_leptons", "reco_met", "reco_photons", "reco_tracks", "reconstruct",
    "relative_isolation", "sample_classes", "to_columns", "write_sample",
]


def main(argv=None):
    """Command-line entry point: generate all samples or ``--only NAME``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=[s.name for s in SAMPLES], help="one sample only")
    parser.add_argument("--events", type=int, help="override the number of events")
    parser.add_argument("--outdir", type=Path, default=HERE,
                        help="folder to write the .root files to (default: next to this script)")
    parser.add_argument("--afterburner", action="store_true",
                        help="only impose the (seeded) flow afterburner on the heavy-ion files "
                             "already in --outdir, without rerunning Pythia")
    parser.add_argument("--photon-response", action="store_true",
                        help="only add the CMS-like photon response to the diphoton file "
                             "already in --outdir, without rerunning Pythia")
    args = parser.parse_args(argv)
    if args.afterburner:
        from genlib.flow_post import afterburn_file
        for sample in SAMPLES:
            if sample.system != "pp" and (not args.only or sample.name == args.only):
                n = afterburn_file(args.outdir / f"{sample.name}.root")
                print(f"  {sample.name}.root: flow imposed on {n} events", flush=True)
        return 0
    if args.photon_response:
        from genlib.flow_post import diphoton_file
        n, factor = diphoton_file(args.outdir / "higgs_diphoton_13TeV.root")
        print(f"  higgs_diphoton_13TeV.root: {n} events, signal x{factor:g}", flush=True)
        return 0
    for sample in SAMPLES:
        if args.only and sample.name != args.only:
            continue
        print(f"generating {sample.name} ...", flush=True)
        path, n, seconds, size = build(sample, args.events, args.outdir)
        print(f"  {path.name}: {n} events, {seconds:.0f} s, {size / 1e6:.2f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
