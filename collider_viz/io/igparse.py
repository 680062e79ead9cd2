"""A safe parser for the event texts inside CMS iSpy ``.ig`` files.

Each ``Events/Run_R/Event_E`` member of an ``.ig`` zip is one event written as a
Python-literal-like text::

    {"Types": {"Photons_V1": [["energy", "double"], ["pos", "v3d"], ...], ...},
     "Collections": {"Photons_V1": [[45.6, [0.0007, 0.0006, 0.039], ...], ...], ...},
     "Associations": {...}}

Strings may be single- or double-quoted, parentheses may stand for tuples, and
bare ``nan``/``inf`` appear where CMSSW printed non-finite numbers. The text is
never evaluated: strings are cut out first, the remaining text may contain only
numbers, brackets, commas, colons and the words listed in :data:`WORDS`; it is
then rewritten to strict JSON and read by :func:`json.loads`. Anything else —
such as ``__import__('os')`` — is rejected with :class:`IgSyntaxError`.

Every step is linear in the input: a string is scanned once from its opening
quote (an unterminated one is an error at once, never retried from the next
quote), numbers of more than 19 digits become floats (no big-integer
conversion), and nesting deeper than Python's recursion limit is refused.

Limits (from :mod:`collider_viz.limits`, ``docs/LIMITS.md``; checked before the
work they bound; each refusal is one :class:`IgLimitError` line naming the
member, the limit and the value):

=========================  ===================  ===================================
limit                      default              checked
=========================  ===================  ===================================
:data:`MAX_MEMBER_BYTES`   64 MiB (9x the       while inflating a member (streamed,
                           largest real event)  the zip's declared size first)
:data:`MAX_ROWS`           200,000 rows         per collection and association,
                                                after parsing, before any builder
nesting depth              Python's recursion   while decoding
                           limit (~1,000)
=========================  ===================  ===================================
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import numpy as np

from collider_viz import limits

#: bare words allowed outside strings, and their JSON spelling ("-nan" becomes "NaN")
WORDS: dict[str, str] = {
    "nan": "NaN", "NaN": "NaN", "inf": "Infinity", "Infinity": "Infinity",
    "true": "true", "True": "true", "false": "false", "False": "false",
    "null": "null", "None": "null",
}
#: a string from its opening quote, closed or not (one linear scan: "unrolled loop", no nesting)
_STRING = re.compile(r""""[^"\\\n]*(?:\\.[^"\\\n]*)*(?P<end2>")?"""
                     r"""|'[^'\\\n]*(?:\\.[^'\\\n]*)*(?P<end1>')?""")
_WORD = re.compile(r"[A-Za-z_]\w*")
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")
_TUPLES = str.maketrans("()", "[]")


#: most bytes one inflated ``Events/...`` member may hold (the largest real one is ~7 MB);
#: most rows one collection (or association list) of an event may hold (the limits table)
MAX_MEMBER_BYTES, MAX_ROWS = limits.MAX_MEMBER_BYTES, limits.MAX_OBJECTS
_CHUNK = 2**20


class IgSyntaxError(ValueError):
    """The text is not a valid iSpy event (one-line message with a line number)."""


class IgLimitError(IgSyntaxError):
    """An event is larger than a documented limit (the message names limit and value)."""


def read_member(zf: zipfile.ZipFile, name: str, limit: int | None = None) -> bytes:
    """The inflated bytes of member ``name``, streamed and refused beyond ``limit``.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The open ``.ig`` zip.
    name : str
        The member.
    limit : int, optional
        Byte cap (default :data:`MAX_MEMBER_BYTES`).

    Raises
    ------
    IgLimitError
        When the declared or the actually inflated size exceeds the cap (the
        message leaves the member's name to the caller).
    """
    limit = MAX_MEMBER_BYTES if limit is None else limit
    declared = zf.getinfo(name).file_size
    if declared > limit:
        raise IgLimitError(f"inflates to {declared:,} bytes, more than the limit of "
                           f"{limit:,} bytes per event member")
    chunks, size = [], 0
    with zf.open(name) as stream:
        while chunk := stream.read(min(_CHUNK, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise IgLimitError(f"inflates to more than the limit of {limit:,} bytes "
                                   f"per event member (its header declares {declared:,})")
    return b"".join(chunks)


def check_rows(event: dict[str, Any], limit: int | None = None) -> None:
    """Refuse an event with a collection or association list longer than ``limit``.

    Raises
    ------
    IgLimitError
        Naming the collection, its row count and the limit.
    """
    limit = MAX_ROWS if limit is None else limit
    for key in ("Collections", "Associations"):
        group = event.get(key)
        for name, rows in (group.items() if isinstance(group, dict) else ()):
            if isinstance(rows, list) and len(rows) > limit:
                raise IgLimitError(f"{name} has {len(rows):,} rows, more than the limit of "
                                   f"{limit:,} per collection")


def parse_event(text: str | bytes) -> dict[str, Any]:
    """Parse one iSpy event text into ``{"Types": ..., "Collections": ..., ...}``.

    Parameters
    ----------
    text : str or bytes
        The member's content (UTF-8 when bytes).

    Returns
    -------
    dict
        The event; ``Types`` and ``Collections`` are guaranteed to be dicts.

    Raises
    ------
    IgSyntaxError
        On any token that is not a literal, or on malformed structure.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    data = _loads(text)
    if not isinstance(data, dict):
        raise IgSyntaxError(f"the event is a {type(data).__name__}, not a dict")
    for key in ("Types", "Collections"):
        if not isinstance(data.get(key), dict):
            raise IgSyntaxError(f"the event has no {key!r} dict")
    return data


def to_json(text: str, trailing_commas: bool = False) -> str:
    """Rewrite an iSpy text to strict JSON, rejecting every non-literal word.

    ``trailing_commas`` also drops commas before a closing bracket (``(1,)``).

    Raises
    ------
    IgSyntaxError
        On a name that is not a literal or on an unterminated string.
    """
    parts: list[str] = []
    done = 0
    for match in _STRING.finditer(text):
        start = match.start()
        parts.append(_rewrite_code(text[done:start], text, done, trailing_commas))
        if match.group("end2") is None and match.group("end1") is None:
            line = text.count("\n", 0, start) + 1
            raise IgSyntaxError(f"unterminated string on line {line}")
        quoted = match.group(0)
        parts.append(_json_string(quoted) if quoted[0] == "'" else quoted)
        done = match.end()
    parts.append(_rewrite_code(text[done:], text, done, trailing_commas))
    return "".join(parts)


def _rewrite_code(code: str, text: str, offset: int, trailing_commas: bool) -> str:
    """Rewrite the text between strings: words, tuples and trailing commas."""
    if _WORD.search(code):
        code = _WORD.sub(lambda m: _word(m, text, offset), code)
        if "-NaN" in code:
            code = code.replace("-NaN", "NaN")
    if "(" in code or ")" in code:
        code = code.translate(_TUPLES)
    if trailing_commas and "," in code:
        code = _TRAILING_COMMA.sub(r"\1", code)
    return code


def _word(match: re.Match[str], text: str, offset: int) -> str:
    word, start = match.group(0), match.start()
    if start and match.string[start - 1] in "0123456789.":
        return word  # the exponent of a number such as 1e-05 or 2.5E+3
    if word not in WORDS:
        line = text.count("\n", 0, offset + start) + 1
        shown = word if len(word) <= 40 else word[:40] + "..."
        raise IgSyntaxError(f"unexpected name {shown!r} on line {line} (only literals allowed)")
    return WORDS[word]


def _json_string(quoted: str) -> str:
    """Turn a single-quoted string into a double-quoted JSON string."""
    inner = quoted[1:-1].replace("\\'", "'")
    return '"' + re.sub(r'(?<!\\)"', '\\"', inner) + '"'


def _int(digits: str) -> int | float:
    """JSON integers; more than 19 digits become a float (no quadratic big-int parse)."""
    return int(digits) if len(digits) <= 20 else float(digits)


def _decode(text: str) -> Any:
    return json.loads(text, parse_int=_int)


def _loads(text: str) -> Any:
    """JSON-decode the rewritten text; on failure retry without trailing commas."""
    try:
        return _decode(to_json(text))
    except json.JSONDecodeError:
        pass
    except RecursionError:
        raise IgSyntaxError("event text nested too deeply") from None
    try:
        return _decode(to_json(text, trailing_commas=True))
    except json.JSONDecodeError as exc:
        raise IgSyntaxError(f"malformed event text at line {exc.lineno}, column {exc.colno}: "
                            f"{exc.msg}") from None
    except RecursionError:
        raise IgSyntaxError("event text nested too deeply") from None


def columns(event: dict[str, Any], collection: str) -> dict[str, int]:
    """Map field names to column positions of ``collection`` from the event's ``Types``.

    Raises
    ------
    IgSyntaxError
        When the collection has no (well-formed) type description.
    """
    spec = event["Types"].get(collection)
    if not isinstance(spec, list):
        raise IgSyntaxError(f"no Types entry for {collection!r}")
    try:
        return {str(field[0]): i for i, field in enumerate(spec)}
    except (TypeError, IndexError, KeyError):
        raise IgSyntaxError(f"malformed Types entry for {collection!r}") from None


def table(
    event: dict[str, Any], collection: str, fields: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, np.ndarray]:
    """Columns of ``collection`` as numpy arrays, found by name through ``Types``.

    ``v3d`` fields become ``(n, 3)`` float arrays, numbers float64, strings str.
    Fields in ``optional`` that the collection lacks are filled with NaN.

    Raises
    ------
    IgSyntaxError
        When a required field is missing or the rows do not match ``Types``.
    """
    cols = columns(event, collection)
    kinds = {str(f[0]): str(f[1]) if len(f) > 1 else "" for f in event["Types"][collection]}
    rows = event["Collections"].get(collection) or []
    missing = [f for f in fields if f not in cols]
    if missing:
        raise IgSyntaxError(f"{collection} has no field {missing[0]!r}")
    out: dict[str, np.ndarray] = {}
    try:
        for name in (*fields, *optional):
            if name not in cols:
                out[name] = np.full(len(rows), np.nan)
                continue
            values = [row[cols[name]] for row in rows]
            out[name] = _column(values, kinds.get(name, ""))
    except (IndexError, KeyError, TypeError, ValueError, OverflowError):
        raise IgSyntaxError(f"rows of {collection} do not match its Types") from None
    return out


def _column(values: list[Any], kind: str) -> np.ndarray:
    if kind == "string":
        return np.array([str(v) for v in values], dtype=str)
    if kind.startswith("v3"):
        return np.asarray(values, dtype=np.float64).reshape(len(values), 3)
    return np.asarray(values, dtype=np.float64)
