"""Hostile ``.ig`` members: code in an event text is rejected and never executed; texts built
to make the parser backtrack or recurse, zip bombs and absurd collection sizes end in one line
within bounded time and memory (the limits of :mod:`collider_viz.io.igparse`)."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import numpy as np
import pytest
from fuzz_harness import FUZZ, run_case, time_limit
from hypothesis import example, given
from hypothesis import strategies as st

from collider_viz.errors import FormatError
from collider_viz.io.igparse import MAX_MEMBER_BYTES, MAX_ROWS, IgSyntaxError, parse_event

MEMBER = "Events/Run_1/Event_1"
#: ``{m}`` becomes the marker file the payload would create
PAYLOADS = (
    "__import__('os').system('touch {m}')",
    "(lambda: __import__('os').system('touch {m}'))()",
    "lambda x: open('{m}', 'w')",
    "open('{m}', 'w').write('x')",
    "().__class__.__bases__[0].__subclasses__()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "f'{{__import__(\"os\").system(\"touch {m}\")}}'",
    "F'{{open(\"{m}\", \"w\")}}'",
    "rb'\\x00'",
    "__builtins__",
    "globals()['__builtins__']",
    "getattr(__import__('os'), 'system')('touch {m}')",
    "exec('open(\"{m}\", \"w\")')",
    "eval('1+1')",
    "os.system('touch {m}')",
    "breakpoint()",
    "{{**__import__('os').environ}}",
    "1 if __import__('os').system('touch {m}') else 2",
    "(yield)",
    "__import__\n('os').system('touch {m}')",
    "__\\\nimport__('os')",
    "nan.__class__",
    "inf.real",
    "1e5.imag",
    "True.__class__",
    "None()",
)
SLOTS = (
    '{{"Types": {{"Event_V2": [["run", "int"]]}}, "Collections": {{"Event_V2": [[{p}]]}}, '
    '"Associations": {{}}}}',
    '{{"Types": {{"Event_V2": [["run", "int"]]}}, "Collections": {{{p}: [[1]]}}}}',
    '{{"Types": {p}, "Collections": {{}}}}',
    '{p}',
    '{{"Types": {{}}, "Collections": {{}}, "x": [{p}, {p}]}}',
)


def _ig(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(MEMBER, text)
    return out.getvalue()


def _read_event(path: str) -> object:
    from collider_viz.io.registry import open_events

    with open_events(path) as src:
        return src[0]


@FUZZ
@given(payload=st.sampled_from(PAYLOADS), slot=st.sampled_from(SLOTS),
       pad=st.sampled_from(["", " ", "\n", "\t", "  \n  "]))
def test_hostile_member_is_rejected_not_run(tmp_path_factory, payload, slot, pad):
    marker = Path(tmp_path_factory.getbasetemp()) / f"pwned_{uuid.uuid4().hex}"
    text = slot.format(p=pad + payload.format(m=marker) + pad)
    result = run_case("ig-hostile", _ig(text), ".ig", check=_read_event)
    assert not marker.exists(), f"payload ran: {text!r}"
    assert isinstance(result, FormatError), f"hostile text accepted: {text!r}"


@FUZZ
@given(payload=st.sampled_from(PAYLOADS), slot=st.sampled_from(SLOTS))
def test_hostile_text_parse_event(payload, slot, tmp_path_factory):
    """The parser on its own: IgSyntaxError, and nothing is executed."""
    marker = Path(tmp_path_factory.getbasetemp()) / f"pwned_{uuid.uuid4().hex}"
    text = slot.format(p=payload.format(m=marker))
    try:
        parse_event(text)
    except IgSyntaxError as exc:
        assert "\n" not in str(exc)
    else:
        raise AssertionError(f"hostile text parsed: {text!r}")
    assert not marker.exists()


@FUZZ
@given(payload=st.sampled_from(PAYLOADS))
def test_payload_inside_a_string_stays_a_string(payload, tmp_path_factory):
    """Inside quotes a payload is plain data (shown as text, never run)."""
    marker = Path(tmp_path_factory.getbasetemp()) / f"pwned_{uuid.uuid4().hex}"
    inner = payload.format(m=marker).replace("\\", "").replace('"', "'").replace("\n", " ")
    text = ('{"Types": {"Event_V2": [["run", "int"], ["time", "string"]]}, '
            f'"Collections": {{"Event_V2": [[5, "{inner}"]]}}}}')
    event = parse_event(text)
    assert event["Collections"]["Event_V2"][0][1] == inner
    assert not marker.exists()


# ---- absurd sizes: linear parsing, capped members and collections, bounded memory ------------

#: ~400 kB texts built to make a regex or the decoder backtrack, recurse or convert big numbers
PARSER_BOMBS = {
    "escaped double quotes": lambda: '"' + '\\"' * 200_000,
    "escaped single quotes": lambda: "'" + "\\'" * 200_000,
    "run of quotes": lambda: '"' * 400_000,
    "alternating quotes": lambda: "\"'" * 200_000,
    "backslashes": lambda: '"' + "\\" * 400_000,
    "one long name": lambda: "a" * 400_000,
    "literal words": lambda: "nan " * 100_000,
    "commas before a bracket": lambda: "[" + ", " * 200_000 + "]",
    "comma then spaces": lambda: "," + " " * 400_000,
    "nested lists": lambda: "[" * 200_000,
    "nested dicts": lambda: '{"a":' * 80_000,
    "nested tuples": lambda: "(" * 200_000,
    "huge integer": lambda: '{"Types": {}, "Collections": {"A_V1": [[' + "9" * 400_000 + "]]}}",
    "huge exponent": lambda: '{"Types": {}, "Collections": {"A_V1": [[1e' + "9" * 400_000 + "]]}}",
    "overflowing numbers": lambda: "[" + "1e308," * 60_000 + "]",
    "exponent soup": lambda: "[" + "1e5e5e5" * 50_000 + "]",
    "unclosed Event row": lambda: '{"Types": {"Event_V2": [["run", "int"]]}, "Collections": '
                                  '{"Event_V2": [[' + "1, " * 130_000,
}


@pytest.mark.parametrize("kind", list(PARSER_BOMBS))
def test_parser_is_linear_on_hostile_text(kind):
    text = PARSER_BOMBS[kind]()
    start = time.perf_counter()
    with time_limit(10.0):
        try:
            parse_event(text)
        except IgSyntaxError as exc:
            assert "\n" not in str(exc)
    assert time.perf_counter() - start < 1.0, kind


@pytest.mark.parametrize("kind", list(PARSER_BOMBS))
def test_hostile_text_in_a_file_is_one_line(kind):
    result = run_case("ig-absurd", _ig(PARSER_BOMBS[kind]()), ".ig", check=_read_event)
    assert isinstance(result, FormatError) or result is not None


def test_too_many_rows_are_refused_with_the_limit():
    rows = ",".join(["[1]"] * (MAX_ROWS + 1))
    text = '{"Types": {"Junk_V1": [["a", "int"]]}, "Collections": {"Junk_V1": [' + rows + "]}}"
    result = run_case("ig-absurd", _ig(text), ".ig", check=_read_event)
    assert isinstance(result, FormatError)
    assert MEMBER in str(result) and "Junk_V1" in str(result)
    assert f"{MAX_ROWS + 1:,}" in str(result) and f"{MAX_ROWS:,}" in str(result)


_VALID = ('{"Types": {"Event_V2": [["run", "int"], ["event", "int"], ["ls", "int"]]}, '
          '"Collections": {"Event_V2": [[1, 1, 3]]}, "Associations": {}}')


def _bomb(path: Path, pad: int) -> None:
    """A valid event followed by ``pad`` bytes of whitespace, written as a stream."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open(MEMBER, "w") as out:
        out.write(_VALID.encode())
        block = b" " * 2**20
        for _ in range(pad // len(block)):
            out.write(block)


def _lie_about_size(path: Path, size: int) -> None:
    """Patch the member's uncompressed size in both zip headers (the data stay larger)."""
    data = bytearray(path.read_bytes())
    local = data.find(b"PK\x03\x04")
    data[local + 22:local + 26] = struct.pack("<I", size)
    central = data.find(b"PK\x01\x02")
    data[central + 24:central + 28] = struct.pack("<I", size)
    path.write_bytes(bytes(data))


#: run in a child under an address-space cap: a blow-up fails the test, not the machine
_CHILD = """
import json, resource, sys, time
from collider_viz import open_events
from collider_viz.errors import ColliderVizError
vm = int(next(l for l in open('/proc/self/status') if l.startswith('VmSize')).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 2 * 2**30, resource.RLIM_INFINITY))
start = time.perf_counter()
try:
    with open_events(sys.argv[1]) as src:
        counts = src[0].counts()
    out = {"ok": counts}
except ColliderVizError as exc:
    out = {"error": str(exc)}
except MemoryError:
    out = {"memory": True}
out["seconds"] = time.perf_counter() - start
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _in_child(path: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_zip_bomb_is_refused_with_bounded_memory(tmp_path):
    path = tmp_path / "bomb.ig"
    _bomb(path, 100 * 2**20)                        # 100 MiB of whitespace, ~100 kB zipped
    assert path.stat().st_size < 2 * 2**20
    out = _in_child(path)
    assert "error" in out, out
    assert MEMBER in out["error"] and f"{MAX_MEMBER_BYTES:,}" in out["error"]
    assert out["seconds"] < 5 and out["peak_mb"] < 1024


def test_zip_bomb_with_a_lying_header_is_refused(tmp_path):
    path = tmp_path / "liar.ig"
    _bomb(path, 100 * 2**20)
    _lie_about_size(path, 1000)
    out = _in_child(path)
    assert "error" in out and str(path) in out["error"] and "\n" not in out["error"], out
    assert out["seconds"] < 5 and out["peak_mb"] < 1024


def test_ten_thousand_muons_and_chambers_stay_bounded(tmp_path):
    n = 10_000
    muon = [["pt", "double"], ["charge", "int"], ["rp", "v3d"], ["phi", "double"],
            ["eta", "double"]]
    corners = [[f"{s}_{k}", "v3d"] for s in ("front", "back") for k in range(1, 5)]
    rng = np.random.default_rng(5)
    rows = [[float(p), 1, [0, 0, 0], float(f), float(e)] for p, f, e in
            zip(rng.uniform(1, 50, n), rng.uniform(-3, 3, n), rng.uniform(-2.4, 2.4, n),
                strict=True)]
    box = [[1, 2, 3]] * 8
    event = {"Types": {"GlobalMuons_V1": muon, "TrackerMuons_V1": muon,
                       "MuonChambers_V1": [["detid", "int"], *corners]},
             "Collections": {"GlobalMuons_V1": rows, "TrackerMuons_V1": rows[::-1],
                             "MuonChambers_V1": [[0x24000000, *box]] * n}}
    path = tmp_path / "many.ig"
    path.write_bytes(_ig(json.dumps(event)))
    out = _in_child(path)
    assert out.get("ok", {}).get("muons") == n and out["ok"]["muon_chambers"] == n, out
    assert out["seconds"] < 5 and out["peak_mb"] < 1024


#: pieces the generated variants are built from (each repeated up to thousands of times)
FRAGMENTS = ('"', "'", "\\", '\\"', "\\'", "[", "]", "{", "}", "(", ")", ",", ":", " ", "\n",
             "nan", "-", "1e", "9", "e5", "a", "_V1", '"Event_V2": [[', "True", "1,")


@FUZZ
@given(parts=st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.integers(1, 20_000)),
                      min_size=1, max_size=6))
@example(parts=[('"', 1), ('\\"', 20_000), ("'", 1), ("\\'", 20_000)])
def test_generated_hostile_texts_are_linear(parts):
    """Any mix of the bombs' ingredients: a dict or one IgSyntaxError line, quickly."""
    text = "".join(piece * count for piece, count in parts)
    start = time.perf_counter()
    with time_limit(10.0):
        try:
            parse_event(text)
        except IgSyntaxError as exc:
            assert "\n" not in str(exc)
    assert time.perf_counter() - start < 1.0, parts
