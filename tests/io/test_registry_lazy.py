"""The registry imports only the readers that can claim the file's kind."""

import subprocess
import sys
from pathlib import Path

import pytest

PBPB = Path(__file__).resolve().parents[2] / "sample_events" / "pbpb_5TeV_alice.root"

CODE = """import sys
from collider_viz.io import open_events
src = open_events(sys.argv[1])
print(src.info.format)
print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('collider_viz.io.formats.')))
"""


def _opened(path: str) -> tuple[str, list[str]]:
    out = subprocess.run([sys.executable, "-c", CODE, path], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    return out[0], eval_free_list(out[1])


def eval_free_list(text: str) -> list[str]:
    """Parse the printed list of module names without eval."""
    return [s.strip(" '") for s in text.strip("[]").split(",") if s.strip()]


@pytest.mark.skipif(not PBPB.exists(), reason="sample_events/pbpb_5TeV_alice.root not built")
def test_root_file_imports_no_zip_json_csv_or_text_reader() -> None:
    fmt, loaded = _opened(str(PBPB))
    assert fmt
    assert "alice_vsd" in loaded
    assert not {"ispy", "phoenix", "csvtable", "ispy_text"} & set(loaded)


def test_json_file_imports_no_root_reader(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_text('{"ev": {"event number": 1, "run number": 2, "Tracks": {}}}')
    proc = subprocess.run([sys.executable, "-c", CODE, str(path)], capture_output=True, text=True)
    loaded = proc.stdout.splitlines()[1:] if proc.returncode == 0 else []
    names = eval_free_list(loaded[0]) if loaded else []
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "phoenix" in names
    assert not {"nanoaod", "poet", "alice_vsd", "physlite", "ao2d", "hiforest"} & set(names)
