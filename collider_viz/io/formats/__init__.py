"""Built-in format readers; :func:`load` imports (and so registers) those of one kind.

The package itself imports no reader: ``collider_viz.io.registry`` loads the ROOT
readers for a ROOT file and the others (zip, JSON, CSV, text) for anything else, so
a one-picture export does not pay for every reader's import. :func:`load_all`
registers them all (``readers()``, the window's URL opener).
"""

from importlib import import_module

#: Readers of ROOT files (their ``sniff`` needs an open uproot file).
ROOT_MODULES = (
    "nanoaod", "sample", "tutorial", "dimuon", "poet", "hiforest", "alice_vsd",
    "layout", "physlite", "ao2d",
)
#: Readers of other files (``sniff(path, None)``: iSpy zip, Phoenix JSON, CSV, iSpy text).
OTHER_MODULES = ("ispy", "csvtable", "phoenix", "ispy_text")
_MODULES = ROOT_MODULES + OTHER_MODULES


def load(names: tuple[str, ...] = _MODULES) -> None:
    """Import the reader modules ``names`` (each registers its readers once)."""
    for name in names:
        try:
            import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a reader that is not (or no longer) there
            if exc.name != f"{__name__}.{name}":
                raise


def load_all() -> None:
    """Import every built-in reader."""
    load(_MODULES)
