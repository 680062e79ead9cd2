"""The application log: a rotating file in the user's data directory.

Unexpected exceptions (in slots, in worker threads, or anywhere else) are
written here with their full traceback and a timestamp, so that a lecturer
can send the file with a bug report. The directory is
``QStandardPaths.AppDataLocation`` (for example
``~/.local/share/collider_viz/collider_viz``), or ``$COLLIDER_VIZ_DATA_DIR``
when that is set (tests point it at a temporary directory).

Logging never raises: a log directory that cannot be created only loses the
file, the message still goes to standard error.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

#: Environment variable that overrides the data directory.
DATA_DIR_ENV = "COLLIDER_VIZ_DATA_DIR"
LOG_NAME = "collider_viz.log"
LOGGER_NAME = "collider_viz"
MAX_BYTES = 1 << 20
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def data_dir() -> Path:
    """The directory for the log (``$COLLIDER_VIZ_DATA_DIR`` or the app data location)."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override)
    from PyQt6.QtCore import QStandardPaths

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path.home() / ".collider_viz"


def log_path() -> Path:
    """The log file, ``data_dir() / "collider_viz.log"``."""
    return data_dir() / LOG_NAME


def _file_handler(path: Path) -> logging.Handler | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    except OSError as exc:  # read-only home, full disk: keep going without a file
        print(f"collider-viz: cannot write the log {path}: {exc}", file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.log_path = str(path)  # type: ignore[attr-defined]
    return handler


def get_logger() -> logging.Logger:
    """The ``collider_viz`` logger, writing to :func:`log_path` (re-targeted if it moved)."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    path = log_path()
    current = [h for h in logger.handlers if hasattr(h, "log_path")]
    if any(h.log_path == str(path) for h in current):  # type: ignore[attr-defined]
        return logger
    for handler in current:
        logger.removeHandler(handler)
        handler.close()
    handler = _file_handler(path)
    if handler is not None:
        logger.addHandler(handler)
    return logger


def log_exception(context: str, exc: BaseException) -> None:
    """Write ``context`` and the full traceback of ``exc`` to the log."""
    try:
        get_logger().error(context, exc_info=(type(exc), exc, exc.__traceback__))
    except Exception as failure:  # the log itself must never take the app down
        print(f"collider-viz: logging failed: {failure}", file=sys.stderr)


def log_warning(message: str) -> None:
    """Write one warning line to the log."""
    try:
        get_logger().warning(message)
    except Exception as failure:  # the log itself must never take the app down
        print(f"collider-viz: logging failed: {failure}", file=sys.stderr)
