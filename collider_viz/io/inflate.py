"""Faster ZLIB inflation of ROOT baskets through ISA-L (``isal``), when installed.

uproot inflates ZLIB baskets with the standard library's ``zlib`` unless the
``library`` of its ZLIB decompressor says otherwise. The documented knob
``uproot.ZLIB.library`` sets an attribute of the ``ZLIB`` *compression*
class only, which the basket reader never looks at; and the base class's
attribute would also change how uproot *writes* ZLIB baskets. So only the
one decompressor object that reads baskets is told (checked in
``tests/test_inflate.py`` by counting the calls that reach ISA-L, and by a
file written afterwards). ISA-L's inflate is about twice zlib's speed on
NanoAOD-like baskets and gives the same bytes.
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
    decompressor = getattr(compression, "_decompress_ZLIB", None)
    if decompressor is None or not hasattr(decompressor, "library"):
        return "zlib"
    decompressor.library = "isal"  # this object only: writing keeps zlib
    return inflate_library()


def inflate_library() -> str:
    """The library uproot now inflates ZLIB baskets with (``"zlib"`` or ``"isal"``)."""
    import uproot.compression as compression

    decompressor = getattr(compression, "_decompress_ZLIB", None)
    return str(getattr(decompressor, "library", "zlib"))
