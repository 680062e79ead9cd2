"""Faster ZLIB inflation of ROOT baskets through ISA-L (``isal``), when installed.

uproot inflates ZLIB baskets with the standard library's ``zlib`` unless
``library`` of its ZLIB decompressor says otherwise. The documented knob
``uproot.ZLIB.library`` sets an attribute of the ``ZLIB`` *compression*
class only; the decompressor that reads baskets is an instance of its base
class, so the setting has to go there (checked in ``tests/test_inflate.py``
by counting the calls that reach ISA-L). ISA-L's inflate is about twice
zlib's speed on CMS NanoAOD baskets and gives the same bytes.
"""

from __future__ import annotations

__all__ = ["use_fast_inflate", "inflate_library"]


def use_fast_inflate() -> str:
    """Make uproot inflate ZLIB baskets with ISA-L; return the library now in use.

    Returns ``"zlib"`` (and changes nothing) when ``isal`` is not installed or
    uproot no longer has the expected decompressor.
    """
    try:
        import isal.isal_zlib  # noqa: F401
        import uproot.compression as compression
    except ImportError:
        return "zlib"
    base = getattr(compression, "_DecompressZLIB", None)
    if base is None or not hasattr(base, "library"):
        return "zlib"
    base.library = "isal"
    compression.ZLIB.library = "isal"
    return inflate_library()


def inflate_library() -> str:
    """The library uproot now inflates ZLIB baskets with (``"zlib"`` or ``"isal"``)."""
    import uproot.compression as compression

    decompressor = getattr(compression, "_decompress_ZLIB", None)
    return str(getattr(decompressor, "library", "zlib"))
