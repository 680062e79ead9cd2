"""Errors in the window: one-line messages in a dialog, never a crash.

:func:`guarded` wraps a slot so that an exception is shown to the user
instead of terminating the application (PyQt6 aborts on an exception that
escapes a slot). :func:`install_excepthook` is the last line of defence for
anything not wrapped. Both write the full traceback, with a timestamp, to the
log file of :mod:`collider_viz.gui.logging_setup`.
"""

from __future__ import annotations

import functools
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication, QMessageBox, QWidget

from collider_viz.errors import ColliderVizError
from collider_viz.gui.logging_setup import log_exception

F = TypeVar("F", bound=Callable[..., Any])
_PARENTLESS: set[QMessageBox] = set()


def describe(exc: BaseException) -> str:
    """Return the one-line message a user sees for ``exc``.

    A :class:`ColliderVizError` is already written for users; anything else
    is prefixed with its type so that a bug report can name it.
    """
    if isinstance(exc, ColliderVizError):
        return str(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def show_error(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """Show ``message`` in a window-modal, non-blocking error dialog.

    Returns
    -------
    QMessageBox
        The dialog (already open), so callers and tests can find it.
    """
    box = QMessageBox(QMessageBox.Icon.Critical, title, message,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    if parent is None:  # nothing else keeps a parentless dialog alive while it is open
        _PARENTLESS.add(box)
        box.finished.connect(lambda _result: _PARENTLESS.discard(box))
    box.open()
    return box


def guarded(method: F) -> F:
    """Decorate a widget method used as a slot so exceptions become dialogs.

    The widget's own ``report_error(title, message)`` is used when it has one,
    otherwise a dialog parented to the widget. The traceback goes to the log.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # a slot must never take the app down
            traceback.print_exc()
            log_exception(f"exception in slot {method.__qualname__}", exc)
            report = getattr(self, "report_error", None)
            if callable(report):
                report("Error", describe(exc))
            else:
                show_error(self if isinstance(self, QWidget) else None, "Error", describe(exc))
            return None

    return wrapper  # type: ignore[return-value]


def install_excepthook() -> None:
    """Log uncaught exceptions and show them in a dialog instead of aborting the event loop.

    Uncaught exceptions of Python threads are logged too (and printed as before).
    """
    sys.excepthook = excepthook
    threading.excepthook = _thread_excepthook


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        name = args.thread.name if args.thread is not None else "?"
        log_exception(f"uncaught exception in thread {name}", args.exc_value)
    threading.__excepthook__(args)


def excepthook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
    """The :data:`sys.excepthook` of the GUI: print, log, then show a dialog."""
    traceback.print_exception(kind, exc, tb)
    if issubclass(kind, KeyboardInterrupt):
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    log_exception("uncaught exception", exc)
    if QApplication.instance() is not None:
        try:
            show_error(_main_window(), "Unexpected error", describe(exc))
        except Exception as failure:  # no dialog possible: the log and stderr have it
            print(f"collider-viz: cannot show the error: {failure}", file=sys.stderr)


def _main_window() -> QWidget | None:
    """The active window, else the first visible top-level window, else None."""
    active = QApplication.activeWindow()
    if active is not None:
        return active
    shown = [w for w in QApplication.topLevelWidgets()
             if w.isVisible() and not isinstance(w, QMessageBox)]
    return shown[0] if shown else None
