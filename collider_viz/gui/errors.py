"""Errors in the window: one-line messages in a dialog, never a crash.

:func:`guarded` wraps a slot so that an exception is shown to the user
instead of terminating the application (PyQt6 aborts on an exception that
escapes a slot). :func:`install_excepthook` is the last line of defence for
anything not wrapped.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication, QMessageBox, QWidget

from collider_viz.errors import ColliderVizError

F = TypeVar("F", bound=Callable[..., Any])


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
    box.open()
    return box


def guarded(method: F) -> F:
    """Decorate a widget method used as a slot so exceptions become dialogs.

    The widget's own ``report_error(title, message)`` is used when it has one,
    otherwise a dialog parented to the widget.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # a slot must never take the app down
            traceback.print_exc()
            report = getattr(self, "report_error", None)
            if callable(report):
                report("Error", describe(exc))
            else:
                show_error(self if isinstance(self, QWidget) else None, "Error", describe(exc))
            return None

    return wrapper  # type: ignore[return-value]


def install_excepthook() -> None:
    """Show uncaught exceptions in a dialog instead of aborting the event loop."""

    def hook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        traceback.print_exception(kind, exc, tb)
        if QApplication.instance() is not None and not issubclass(kind, KeyboardInterrupt):
            show_error(QApplication.activeWindow(), "Unexpected error", describe(exc))

    sys.excepthook = hook
