"""Lecture tools for the window: image and animation export dialogs, presentation
mode and the story player. Standalone widgets/controllers with signals; the main
window wires them into its menus (see each module's docstring).
"""

from collider_viz.gui.lecture.animation_dialog import AnimationExportDialog, run_animation_export
from collider_viz.gui.lecture.export_dialog import ExportImageDialog, export_image_interactive
from collider_viz.gui.lecture.presentation import PresentationController

__all__ = ["AnimationExportDialog", "ExportImageDialog", "PresentationController",
           "export_image_interactive", "run_animation_export"]
