"""Hostile ``.ig`` members: code in an event text is rejected and never executed."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

from fuzz_harness import FUZZ, run_case
from hypothesis import given
from hypothesis import strategies as st

from collider_viz.errors import FormatError
from collider_viz.io.igparse import IgSyntaxError, parse_event

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
