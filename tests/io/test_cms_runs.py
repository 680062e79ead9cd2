"""√s from a CMS run number (POET and .ig files do not store it)."""

from __future__ import annotations

import pytest

from collider_viz.io.cms_runs import cms_sqrt_s


@pytest.mark.parametrize(("run", "sqrt_s"), [
    (133874, 7000.0), (148031, 7000.0), (178424, 7000.0), (180252, 7000.0),  # 2010-2011
    (194115, 8000.0), (195397, 8000.0), (208686, 8000.0),                    # 2012
    (246908, 13000.0), (325175, 13000.0),                                    # 2015-2018
    (355100, 13600.0),                                                       # 2022-
    (1, None), (185000, None), (340000, None),                               # no pp year
])
def test_run_number_gives_the_lhc_energy(run, sqrt_s):
    assert cms_sqrt_s(run) == sqrt_s


@pytest.mark.parametrize(("run", "expected"), [
    (151076, ("Pb+Pb", 2760.0)), (181913, ("Pb+Pb", 2760.0)),  # the shared HiForest files
    (211000, ("p+Pb", 5020.0)), (262600, ("Pb+Pb", 5020.0)), (326500, ("Pb+Pb", 5020.0)),
    (315267, ("pp", 13000.0)), (195397, ("pp", 8000.0)), (1, ("pp", None)),
])
def test_heavy_ion_periods_come_first(run, expected):
    from collider_viz.io.cms_runs import cms_collision

    assert cms_collision(run) == expected
