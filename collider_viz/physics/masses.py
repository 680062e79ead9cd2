"""Masses used at import time by the readers, in GeV.

Values of the Review of Particle Physics, S. Navas et al. (Particle Data Group),
Phys. Rev. D 110, 030001 (2024), as shipped in the ``particle`` package's table
(``particle`` 1.1.0). They are constants here because loading that table costs
~0.2 s, which every process would pay at import; ``tests/physics/test_masses.py``
checks them against ``particle`` so that they cannot drift apart.
"""

ELECTRON_MASS: float = 0.51099895069 / 1e3
"""e± mass (PDG id 11), GeV."""
MUON_MASS: float = 105.6583755 / 1e3
"""μ± mass (PDG id 13), GeV."""
PION_MASS: float = 139.57039 / 1e3
"""π± mass (PDG id 211), GeV: the mass given to charged tracks."""
Z_MASS: float = 91187.9 / 1e3
"""Z boson mass (PDG id 23), GeV."""
