"""The import-time mass constants agree with the PDG table of ``particle``."""

import subprocess
import sys

import pytest
from particle import Particle

from collider_viz.physics import masses


@pytest.mark.parametrize(("pdgid", "value"), [
    (11, masses.ELECTRON_MASS), (13, masses.MUON_MASS), (211, masses.PION_MASS),
    (23, masses.Z_MASS),
])
def test_constant_is_the_pdg_mass(pdgid: int, value: float) -> None:
    assert value == pytest.approx(Particle.from_pdgid(pdgid).mass / 1e3, rel=1e-12)


def test_export_path_loads_no_particle_table_and_no_readers_it_does_not_need() -> None:
    code = ("import sys, collider_viz, collider_viz.io, collider_viz.cli\n"
            "bad = [m for m in ('particle', 'collider_viz.io.formats.ispy',"
            " 'collider_viz.io.formats.poet_layout') if m in sys.modules]\n"
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
