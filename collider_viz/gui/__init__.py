"""The PyQt6 window: a thin shell around :class:`collider_viz.scene.EventCanvas`.

Entry point: :func:`collider_viz.gui.app.run_app`. The window
(:mod:`~collider_viz.gui.window`) only wires the canvas to the controls
(:mod:`navigation`, :mod:`collections_panel`, :mod:`properties`,
:mod:`event_table`) and to the background :mod:`loader`.
"""
