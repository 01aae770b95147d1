# Two commands for a fresh machine: `make run` builds everything, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test install clean bench fonts

run: $(STAMP) fonts
	$(PY) build_graph.py

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/bench_validate.py
	$(PY) benchmarks/bench_build.py
	$(PY) benchmarks/bench_viz.py
	$(PY) benchmarks/bench_query.py
	$(PY) benchmarks/bench_corpus.py
	$(PY) benchmarks/bench_pages.py
	$(PY) benchmarks/fuzz_cli.py --cases 500

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Plots need a font with Chinese glyphs: install Debian's Noto CJK when missing and we may.
fonts:
	@if command -v fc-list >/dev/null 2>&1 && [ -n "$$(fc-list :lang=zh 2>/dev/null)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing fonts-noto-cjk (Chinese labels in plots)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	else echo "note: no Chinese font found; install fonts-noto-cjk (or another CJK font) for readable plots"; fi

clean:
	rm -rf build .pytest_cache
