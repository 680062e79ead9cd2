"""The fuzz harness: run one damaged input, classify the outcome, keep figures.

Every case ends in a correct result or a :class:`ColliderVizError` whose message
is one line naming the file. Anything else — another exception type, a case
running past :data:`CASE_TIMEOUT` seconds — is a failure; the case's bytes are
saved under :data:`CRASH_DIR` for reproduction. ``FUZZ_EXAMPLES`` sets the number
of examples per test (small by default so that CI stays fast).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, settings

from collider_viz.errors import ColliderVizError
from collider_viz.io.registry import open_events
from collider_viz.physics.sanitize import drop_nonfinite, finite_mask

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
CASE_TIMEOUT = float(os.environ.get("FUZZ_CASE_TIMEOUT", "30"))
CRASH_DIR = Path(tempfile.gettempdir()) / "collider_viz_fuzz"
WORK_DIR = Path(tempfile.mkdtemp(prefix="collider_viz_fuzzcase_"))

#: hypothesis settings of every fuzz test (deterministic unless FUZZ_EXAMPLES is given)
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, database=None,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck),
)


class CaseTimeout(BaseException):
    """A case ran past :data:`CASE_TIMEOUT` (BaseException: readers cannot swallow it)."""


@dataclass
class Figures:
    """Per-format counts for the summary table."""

    cases: int = 0
    ok: int = 0
    errors: int = 0
    crashes: int = 0
    hangs: int = 0
    wrong: int = 0
    slowest: float = 0.0
    messages: dict[str, str] = field(default_factory=dict)


STATS: dict[str, Figures] = {}


@contextlib.contextmanager
def time_limit(seconds: float = CASE_TIMEOUT) -> Iterator[None]:
    """Raise :class:`CaseTimeout` in the main thread after ``seconds``."""
    def alarm(signum: int, frame: Any) -> None:
        raise CaseTimeout(f"case ran past {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def template(message: str, path: str) -> str:
    """A user-visible message with the case's path and numbers abstracted."""
    text = message.replace(path, "PATH").replace(str(WORK_DIR), "DIR")
    text = re.sub(r"b'(?:[^'\\]|\\.)*'|b\"(?:[^\"\\]|\\.)*\"", "b'...'", text)
    return re.sub(r"\d+(\.\d+)?", "N", text)


def save_case(fmt: str, data: bytes, suffix: str) -> Path:
    """Keep a failing input for reproduction; return where it is."""
    CRASH_DIR.mkdir(parents=True, exist_ok=True)
    name = f"crash-{re.sub(r'[^A-Za-z0-9_.-]', '_', fmt)}-{hashlib.sha1(data).hexdigest()[:12]}"
    path = CRASH_DIR / (name + suffix)
    path.write_bytes(data)
    return path


def exercise(path: str, **open_kwargs: Any) -> dict[str, Any]:
    """open_events → len → first and last event → counts(); check what came back."""
    with open_events(path, **open_kwargs) as src:
        n = len(src)
        assert isinstance(n, int) and n >= 0
        counts = src.reader.counts() if n else {}
        for name, values in counts.items():
            assert len(values) == n, f"counts()[{name!r}] has {len(values)} values for {n} events"
        events = [src[0], src[-1]] if n else []
        for event in events:
            clean, dropped = drop_nonfinite(event)
            for name, coll in clean.collections.items():
                assert bool(np.all(np.asarray(finite_mask(coll)))), name
                assert len(coll) + dropped.get(name, 0) == len(event[name])
        return {"n": n, "counts": counts, "events": events}


def run_case(fmt: str, data: bytes | None, suffix: str, path: Path | None = None,
             check: Callable[..., Any] = exercise, **kwargs: Any) -> Any:
    """Write ``data`` to a file (or use ``path``), run ``check`` on it, record the outcome.

    Returns the check's result, or the :class:`ColliderVizError` it raised.
    Raises AssertionError (with where the input was saved) on a crash or a hang.
    """
    figures = STATS.setdefault(fmt, Figures())
    if path is None:
        path = WORK_DIR / ("case" + suffix)
        path.write_bytes(data or b"")
    figures.cases += 1
    start = time.perf_counter()
    try:
        with time_limit():
            result = check(str(path), **kwargs)
        figures.ok += 1
        return result
    except ColliderVizError as exc:
        figures.errors += 1
        message = str(exc)
        figures.messages.setdefault(template(message, str(path)), message)
        if "\n" in message or str(path) not in message:
            _fail(fmt, path, f"unclear error (not one line naming the file): {message!r}")
        return exc
    except AssertionError as exc:  # a check on what came back failed: a silent wrong result
        figures.wrong += 1
        _fail(fmt, path, f"wrong result: {exc}", exc)
    except CaseTimeout:
        figures.hangs += 1
        _fail(fmt, path, f"hang: no result within {CASE_TIMEOUT:g} s")
    except Exception as exc:  # the bug the fuzz suite looks for
        figures.crashes += 1
        _fail(fmt, path, f"crash: {type(exc).__name__}: {exc}", exc)
    finally:
        figures.slowest = max(figures.slowest, time.perf_counter() - start)


def _fail(fmt: str, path: Path, why: str, exc: BaseException | None = None) -> None:
    saved = save_case(fmt, path.read_bytes() if path.is_file() else b"", path.suffix)
    raise AssertionError(f"[{fmt}] {why} (input saved as {saved})") from exc
