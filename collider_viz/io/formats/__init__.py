"""Built-in format readers; importing this package registers them all."""

from importlib import import_module

_MODULES = (
    "nanoaod", "sample", "tutorial", "dimuon", "poet", "hiforest", "alice_vsd", "ispy",
    # added in the open-data round (each module may still be being written)
    "layout", "csvtable", "phoenix", "physlite", "ao2d", "ispy_text",
)

for _name in _MODULES:
    try:
        import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:  # a reader still being written
        if _exc.name != f"{__name__}.{_name}":
            raise
