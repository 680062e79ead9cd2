"""Physics core: event form, detectors, kinematics, helices, selections.

Pure numpy/awkward/vector; never imports Qt or vispy.
"""
