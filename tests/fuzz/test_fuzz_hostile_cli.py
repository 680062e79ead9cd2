"""Hostile and absurd command lines (issue 16): exit 2 with one line, in bounded time and memory.

Every case runs in one child process (:mod:`hostile_worker`) under an
address-space cap, so a blow-up kills the child and fails the test instead of
the machine. Each case must end in exit 0 (a legitimate request, checked) or
exit 2 with exactly one stderr line, within ``HOSTILE_CASE_S`` (5) seconds and
with the child's peak RSS under 1 GiB; the existing outputs and the input
files are never changed. The fixed cases are the red-team's reproductions;
the hypothesis tests generate their siblings (``HOSTILE_EXAMPLES`` each, 8 by
default; ``make fuzz`` runs 200 per kind).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fuzz_harness import EXAMPLES
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_events" / "higgs_diphoton_13TeV.root"
HOSTILE = int(os.environ.get("HOSTILE_EXAMPLES", str(EXAMPLES)))
PEAK_MB = 1024.0
SETTINGS = settings(max_examples=HOSTILE, deadline=None, database=None,
                    derandomize="HOSTILE_EXAMPLES" not in os.environ,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=list(HealthCheck))
COUNTS = {"cases": 0, "ok": 0, "refused": 0}

pytestmark = pytest.mark.skipif(not SAMPLE.is_file(), reason=f"{SAMPLE} not present")


class Worker:
    """The child process and the files it must leave alone."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.input = folder / "input.root"
        shutil.copyfile(SAMPLE, self.input)
        self.json = folder / "existing.json"
        self.json.write_text('{"keep": true}\n')
        self.png = folder / "existing.png"
        self.png.write_bytes(b"not really a png, but precious")
        self.protected = {p: _digest(p) for p in (self.input, self.json, self.png)}
        self.serial = itertools.count()
        self.served = 0
        self.proc = self._start()

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ, EGL_PLATFORM="surfaceless", OPENBLAS_NUM_THREADS="1",
                   HOSTILE_AS_BYTES=str(int(2.5 * 2**30)))
        return subprocess.Popen([sys.executable, str(Path(__file__).with_name(
            "hostile_worker.py"))], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, cwd=self.folder, env=env)

    def fresh(self, suffix: str) -> Path:
        """A new output name in the scratch folder."""
        return self.folder / f"out{next(self.serial)}{suffix}"

    def run(self, argv: list[str]) -> dict:
        """Run one case and check the rules common to all cases."""
        self.served += 1
        if self.served % 200 == 0:  # a fresh child now and then: no case pays for old ones
            self.close()
            self.proc = self._start()
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps([str(a) for a in argv]) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, f"the worker died (memory cap or crash) on {argv}"
        reply = json.loads(line)
        lines = [x for x in reply["stderr"].splitlines() if x.strip()]
        COUNTS["cases"] += 1
        assert reply["status"] in (0, 2), f"{argv}: {reply['status']} {reply['stderr'][-500:]}"
        assert reply["seconds"] < 5.0, f"{argv}: took {reply['seconds']:.1f} s"
        assert reply["peak_mb"] < PEAK_MB, f"{argv}: peak RSS {reply['peak_mb']:.0f} MiB"
        COUNTS["peak_mb"] = max(COUNTS.get("peak_mb", 0), reply["peak_mb"])
        COUNTS["slowest_s"] = max(COUNTS.get("slowest_s", 0), reply["seconds"])
        if reply["status"] == 2:
            COUNTS["refused"] += 1
            assert len(lines) == 1, f"{argv}: expected one line, got {lines}"
            assert "Traceback" not in reply["stderr"]
        else:
            COUNTS["ok"] += 1
        for path, digest in self.protected.items():
            assert _digest(path) == digest, f"{argv} changed {path.name}"
        return reply

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    w = Worker(tmp_path_factory.mktemp("hostile"))
    yield w
    w.close()
    print(f"\nhostile command lines: {COUNTS['cases']} cases, {COUNTS['ok']} legitimate and "
          f"correct, {COUNTS['refused']} refused in one line; slowest "
          f"{COUNTS.get('slowest_s', 0):.2f} s, largest peak RSS {COUNTS.get('peak_mb', 0):.0f} MiB")


def _scan(w: Worker, *extra: object) -> list[str]:
    return ["scan", str(w.input), "--select", "hgg", *[str(e) for e in extra]]


def _export(w: Worker, *extra: object, suffix: str = ".png") -> list[str]:
    return ["export", str(w.input), "--entry", "0", "-o", str(w.fresh(suffix)),
            *[str(e) for e in extra]]


def _chain(op: str, n: int) -> str:
    term = "nPhoton > 1" if op in ("or", "and") else "1"
    text = f" {op} ".join([term] * n)
    return text + (" > 0" if op in ("+", "*", "-", "/") else "")


# ------------------------------------------------------------------ the red-team's cases
def fixed_cases(w: Worker) -> list[list[str]]:
    """The reproductions of issue 16 and 15 (CLI part) and their direct siblings."""
    cases = [_scan(w, "--json", w.json), _scan(w, "--hist", w.png),
             _scan(w, "--json", w.input), _scan(w, "--json", w.input, "--force"),
             _scan(w, "--hist", w.input, "--force"), ["scan", str(w.input), "--filter",
                                                       "nPhoton>0", "--json", w.json]]
    for bins in ("1000000000,0,200", "1e7", "10,0,inf", "10,nan,200", "10,0,1e308",
                 "10,-1e308,1e308", "inf,0,1", "0,0,1", "10,5,1", "", ",,", "10,0,200,4"):
        cases.append(_scan(w, "--hist", w.fresh(".png"), f"--bins={bins}"))
    for op in ("+", "*", "or", "and", "<", "-", "/"):
        cases.append(["scan", str(w.input), "--filter", _chain(op, 500)])
        compact = _chain(op, 900 if op in "+*-/<" else 160).replace(" ", "")
        cases.append(["scan", str(w.input), "--filter", compact.replace("or", " or ")
                      .replace("and", " and ")])
    cases += [["scan", str(w.input), f"--filter={'(' * 5000}1{')' * 5000} > 0"],
              ["scan", str(w.input), "--filter", "not " * 3000 + "nPhoton > 1"],
              ["scan", str(w.input), "--filter", "mass > 1e999"],
              ["scan", str(w.input), "--filter", "x" * 100_000]]
    for cam in ("inf,0,10", "1e308,0,10", "0,0,1e308", "0,1e308,10", "nan,0,10", "0,0,0",
                "0,0,-inf", "1,2", "a,b,c"):
        cases.append(_export(w, f"--camera={cam}"))
    cases += [_export(w, "--animate", "turntable", "--frames", 200, "--size", "3840x2160",
                      suffix=".gif"),
              _export(w, "--animate", "turntable", "--frames", 10**9, suffix=".gif"),
              _export(w, "--animate", "replay", "--fps", "inf", suffix=".mp4"),
              _export(w, "--animate", "replay", "--fps", "nan", suffix=".mp4"),
              _export(w, "--size", "100000x100000"), _export(w, "--size", "1e4x1e4"),
              ["export", str(w.input), "--entry", 0, "-o", w.png],
              ["export", str(w.input), "--entry", 0, "-o", w.input, "--force"],
              ["export", str(w.input), "--entyr", 3, "-o", w.fresh(".png")],
              ["infoo", str(w.input)], ["sacn", str(w.input)],
              ["story", str(w.input)], ["story", str(w.json)]]
    return cases


def test_red_team_cases_end_in_one_line(worker):
    for argv in fixed_cases(worker):
        reply = worker.run(argv)
        if "--entyr" in argv or argv[0] in ("infoo", "sacn"):
            assert "did you mean" in reply["stderr"]
        if argv[0] == "story" or "--json" in argv or "--hist" in argv and "--bins" not in " ".join(argv):
            assert reply["status"] == 2


def test_hostile_story_files(worker):
    base = (ROOT / "collider_viz" / "stories" / "lhc.toml").read_text()
    texts = {"nested": "title = 'x'\na = " + "[" * 5000 + "]" * 5000 + "\n",
             "inf_camera": base.replace("[[steps]]", "[[steps]]\ncamera = [inf, 0, 10]", 1),
             "nan_bins": base.replace("[[steps]]", "[[steps]]\nbins = [10, nan, 3]", 1),
             "huge_bins": base.replace("[[steps]]", "[[steps]]\nbins = [1000000000, 0, 1]", 1),
             "far": base.replace("[[steps]]", "[[steps]]\ncamera = [0, 0, 1e300]", 1),
             "many": "title='x'\n" + "[[steps]]\ncaption='c'\nfile='a.root'\nentry=0\n" * 10_000,
             "big": "title = '" + "x" * 3_000_000 + "'\n"}
    for name, text in texts.items():
        path = worker.folder / f"{name}.toml"
        path.write_text(text)
        reply = worker.run(["story", path, "--export", worker.fresh("_dir")])
        assert reply["status"] == 2, name


# ------------------------------------------------------------------ generated siblings
NUMBERS = st.sampled_from(["inf", "-inf", "nan", "1e308", "-1e308", "1e999", "0", "-0", "1",
                           "-1", "1e-320", "9223372036854775808", "10", "200", "0.5", "x",
                           "", "1e7", "100000", "100001", "2", "16", "64"])
SIZES = st.sampled_from(["inf", "nan", "-1", "0", "15", "16", "64", "7681", "100000", "1e4",
                         "x", "", "9223372036854775808", "4320x"])
FRAMES = st.sampled_from(["inf", "nan", "-1", "0", "1", "2", "3", "1e9", "x", "", "3601",
                          "100000", "9223372036854775808"])


@SETTINGS
@given(st.lists(NUMBERS, min_size=1, max_size=4))
def test_generated_bins(worker, parts):
    text = ",".join(parts)
    out = worker.fresh(".json")
    reply = worker.run(_scan(worker, f"--bins={text}", "--json", out))
    if reply["status"] == 0:
        counts = json.loads(out.read_text())["histogram"]["counts"]
        assert len(counts) == int(parts[0])


@SETTINGS
@given(st.lists(NUMBERS, min_size=1, max_size=4))
def test_generated_cameras(worker, parts):
    worker.run(_export(worker, "--size", "64x48", f"--camera={','.join(parts)}"))


@SETTINGS
@given(SIZES, SIZES, FRAMES, NUMBERS, st.sampled_from([".gif", ".mp4", ".png"]))
def test_generated_sizes_frames_fps(worker, width, height, frames, fps, suffix):
    argv = _export(worker, f"--size={width}x{height}", suffix=suffix)
    if suffix != ".png":
        argv += ["--animate", "replay", f"--frames={frames}", f"--fps={fps}"]
    worker.run(argv)


@SETTINGS
@given(st.sampled_from(["+", "-", "*", "/", "or", "and", "<", "<=", "==", "!="]),
       st.integers(1, 1500), st.integers(0, 200))
def test_generated_filter_chains(worker, op, terms, depth):
    text = "(" * depth + _chain(op, terms) + ")" * depth
    worker.run(["scan", str(worker.input), f"--filter={text}"])


@SETTINGS
@given(st.sampled_from(["--step-size", "--workers", "--frames", "--fps", "--entry", "--limit"]),
       NUMBERS)
def test_generated_numeric_options(worker, option, value):
    if option in ("--step-size", "--workers"):
        argv = ["scan", str(worker.input), "--select", "hgg", f"{option}={value}"]
    elif option == "--frames":
        argv = _export(worker, "--size", "64x48", "--animate", "replay", f"--frames={value}",
                       suffix=".gif") if value not in ("10", "16", "64") else ["infoo"]
    elif option == "--fps":
        argv = _export(worker, "--size", "64x48", "--animate", "replay", f"{option}={value}",
                       suffix=".gif")
    elif option == "--entry":
        argv = ["export", str(worker.input), f"--entry={value}", "-o", str(worker.fresh(".png")),
                "--size", "64x48"]
    else:  # a legitimate --limit above 3 is slow work (a picture each), not a hang
        value = "3" if value.isdigit() and int(value) > 3 else value
        argv = ["export", str(worker.input), "--select", "hgg", f"--limit={value}",
                "-o", str(worker.fresh("_dir")), "--size", "64x48"]
    worker.run(argv)


@SETTINGS
@given(st.sampled_from(["camera", "bins"]), st.lists(NUMBERS, min_size=0, max_size=4),
       st.integers(0, 40))
def test_generated_story_values(worker, key, parts, depth):
    base = (ROOT / "collider_viz" / "stories" / "lhc.toml").read_text()
    values = ", ".join(p if p and p not in ("x",) else "0" for p in parts)
    value = "[" * depth + f"[{values}]" + "]" * depth
    path = worker.fresh(".toml")
    path.write_text(base.replace("[[steps]]", f"[[steps]]\n{key} = {value}", 1))
    reply = worker.run(["story", path, "--export", worker.fresh("_dir"), "--size", "320x180"])
    if depth > 0:
        assert reply["status"] == 2


@SETTINGS
@given(st.sampled_from(["json", "hist", "export", "gif"]), st.booleans())
def test_generated_outputs_never_overwrite(worker, kind, force):
    target = {"json": worker.json, "hist": worker.png, "export": worker.png,
              "gif": worker.png}[kind]
    onto_input = force  # with --force, aim at the input itself
    out = worker.input if onto_input else target
    extra = ["--force"] if force else []
    if kind in ("json", "hist"):
        argv = _scan(worker, f"--{kind}", out, *extra)
    else:
        argv = ["export", str(worker.input), "--entry", 0, "-o", out, *extra]
    assert worker.run(argv)["status"] == 2
