"""A child process that runs ``collider-viz`` command lines in-process, one per stdin line.

Started by :mod:`test_fuzz_hostile_cli` with an address-space cap
(``RLIMIT_AS``) so that a blow-up kills this child, not the machine. Each
stdin line is a JSON list of arguments; each reply line is JSON with the exit
status, stderr, seconds and the process's peak RSS so far (MiB). A case
running past its time limit is stopped by SIGALRM and reported as a hang.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import sys
import time

LIMIT_S = float(os.environ.get("HOSTILE_CASE_S", "5"))


class Hang(BaseException):
    """The case ran past LIMIT_S."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def _peak_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def _reset_peak() -> None:
    """Start this case's peak RSS from the current RSS (Linux ``clear_refs`` 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def run_case(argv: list[str]) -> dict[str, object]:
    """Run one command line; never raises (except to report a kill)."""
    from collider_viz.cli import main

    err, out = io.StringIO(), io.StringIO()
    _reset_peak()
    start = time.perf_counter()
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, LIMIT_S)
    status: object
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            status = main(argv)
    except Hang:
        status = "hang"
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 2
    except MemoryError:
        status = "MemoryError"
    except Exception as exc:  # noqa: BLE001 - a traceback is what the test looks for
        status = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return {"status": status, "stderr": err.getvalue()[-2000:],
            "seconds": time.perf_counter() - start, "peak_mb": _peak_mb()}


def main() -> None:
    """Serve cases until stdin closes."""
    cap = int(os.environ.get("HOSTILE_AS_BYTES", str(3 << 30)))
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    import collider_viz.cli  # noqa: F401 - imported once, before the first case

    for line in sys.stdin:
        reply = run_case(json.loads(line))
        sys.__stdout__.write(json.dumps(reply) + "\n")
        sys.__stdout__.flush()


if __name__ == "__main__":
    main()
