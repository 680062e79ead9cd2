"""Developer tools (``python -m collider_viz.tools.<name>``)."""
