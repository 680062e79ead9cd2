# collider_viz: `make run` opens the app on a bundled sample, `make test` runs the test suite.
# Both do all set-up from a fresh clone: virtual environment, Python packages, and (for tests)
# the Xvfb and Mesa system packages when missing.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
SYSPKGS := xvfb xauth libgl1-mesa-dri libegl-mesa0 libegl1 libglx-mesa0 libxkbcommon-x11-0 \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
	libxcb-xinerama0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libdbus-1-3 libfontconfig1 \
	libxrender1 libxi6 libsm6

.PHONY: run test sysdeps install install-test screenshot demo bench fuzz samples lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(TSTAMP): $(STAMP)
	$(PIP) install -q -e '.[test]'
	touch $@

install: $(STAMP)
install-test: $(TSTAMP)

# System packages for a virtual X display and software OpenGL (Mesa); apt-get only when missing.
sysdeps:
	@missing=""; for p in $(SYSPKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Without a display the app says so in one line (and how to render headless) instead of
# opening a window nobody can see.
run: $(STAMP)
	$(VENV)/bin/collider-viz $(ARGS)

test: $(TSTAMP) sysdeps
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: $(TSTAMP)
	$(VENV)/bin/ruff check collider_viz tests benchmarks

screenshot: $(STAMP) sysdeps
	xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) -m collider_viz.tools.screenshot docs/screenshot.png

# A 4K PNG of a Higgs candidate (and a transparent one), a turntable MP4 and a replay GIF,
# rendered headless (EGL) into lecture_output/<time>/.
demo: $(STAMP) sysdeps
	EGL_PLATFORM=surfaceless $(PY) -m collider_viz.tools.lecture_demo

bench: $(TSTAMP) sysdeps
	$(PIP) install -q -e '.[bench]'
	xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) benchmarks/run_all.py $(BENCH_ARGS)

# The long fuzz run (CI runs tests/fuzz with a small FUZZ_EXAMPLES inside `make test`).
# HOSTILE_EXAMPLES: generated hostile command lines per kind (7 kinds; 200 each gives over 1,000 distinct cases).
fuzz: $(TSTAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} HOSTILE_EXAMPLES=$${HOSTILE_EXAMPLES:-200} \
	  $(PY) -m pytest tests/fuzz -p no:xvfb -q -s $(PYTEST_ARGS)

samples: $(STAMP)
	$(PIP) install -q -e '.[samples]'
	$(PY) sample_events/generate.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
