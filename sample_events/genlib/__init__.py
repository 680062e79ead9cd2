"""Building blocks of ``sample_events/generate.py``, the Pythia 8 sample generator.

Modules
-------
pythia_setup
    Pythia instances, events and the final-state particle table.
reco
    Per-object detector response (tracks, photons, leptons, jets, MET).
response
    The :class:`~genlib.response.Response` presets and :func:`~genlib.response.reconstruct`.
processes
    Physics processes, generator filters and the :data:`~genlib.processes.SAMPLES` table.
writer
    Column layout, float compression, metadata and the ROOT file writer.
"""
