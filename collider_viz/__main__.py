"""``python -m collider_viz`` is the ``collider-viz`` command."""

import sys

from collider_viz.cli import main

sys.exit(main())
