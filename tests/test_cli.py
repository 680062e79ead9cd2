"""The ``collider-viz`` entry point: lazy subcommand imports, typo suggestions, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from collider_viz import cli


@pytest.mark.parametrize("argv, close", [(["infoo", "x.root"], "'info'"),
                                         (["sacn", "x.root"], "'scan'"),
                                         (["exprot", "x.root"], "'export'")])
def test_mistyped_subcommand_names_the_close_one(argv, close, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"did you mean {close}" in err[0]


@pytest.mark.parametrize("argv, close", [
    (["export", "f.root", "--entyr", "3", "-o", "x.png"], "--entry"),
    (["scan", "f.root", "--selct", "hgg"], "--select"),
    (["scan", "f.root", "--select", "hgg", "--jsn=out.json"], "--json"),
    (["--entyr", "3"], "--entry")])
def test_mistyped_option_names_the_close_one_in_one_line(argv, close, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"did you mean {close}?" in err[0]


def test_a_file_named_like_a_command_is_not_a_typo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sacn").write_text("")
    assert cli._mistyped_command(["sacn"]) is None
    assert cli._mistyped_command(["events.root"]) is None


def test_only_the_chosen_subcommand_is_imported():
    code = ("import sys, json; from collider_viz import cli; p = cli._build_parser('info'); "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('collider_viz.commands',"
            " 'dask', 'matplotlib', 'vispy', 'PyQt6')))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert "collider_viz.commands.info" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("dask", "matplotlib", "vispy", "PyQt6")]
    assert not [m for m in loaded if m.startswith("collider_viz.commands.") and
                m != "collider_viz.commands.info"]


def test_full_help_still_lists_every_subcommand(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("info", "scan", "export", "story"):
        assert name in out


def test_the_process_command_freezes_its_objects_before_exit_and_calls_do_not(monkeypatch,
                                                                              capsys):
    import gc

    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(sys, "argv", ["collider-viz", "--help"])
    assert cli.main() == 0
    assert frozen == [True]
    assert cli.main(["--help"]) == 0
    assert frozen == [True]
    assert "scan" in capsys.readouterr().out
