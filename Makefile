# Developer entry points of kbuild.  `make help` lists them.

# The distribution's python3 when it is recent enough: Debian, Ubuntu and Fedora build it with
# profile-guided optimization and LTO, and kbuild-conf needs 9-16% less CPU on it than on a
# plain source build such as pyenv's default (README, Quick start).
# Any other interpreter: make PYTHON=/path/to/python3 (after make clean).
ifeq ($(origin PYTHON),undefined)
PYTHON  := $(shell for p in /usr/bin/python3 python3; do \
		$$p -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
		&& { echo $$p; exit 0; }; done; echo python3)
endif
VENV    := .venv
STAMP   := $(VENV)/.installed
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_OUT := build/demo/hello

.PHONY: help venv demo test compat bench clean

help:
	@echo "make venv    - create $(VENV) and install kbuild (editable) with test extras"
	@echo "make demo    - configure, build and run examples/hello (output in $(DEMO_OUT))"
	@echo "make test    - unit tests + representative conformance subset against C conf"
	@echo "make compat  - full conformance sweep against C conf (JOBS=$(JOBS))"
	@echo "make bench   - C conf vs kbuild-conf timings (bench/bench_conf.py)"
	@echo "              kbuild objects vs make's walk (bench/bench_objects.py),"
	@echo "              menuconfig in tmux (bench/bench_menuconfig.py),"
	@echo "              and kbuild build vs GNU make (bench/bench_build.py)"
	@echo "make clean   - remove build/ and $(VENV)"

venv: $(STAMP)

# Reinstalled only when pyproject.toml changes (the install is editable, so
# source edits need no reinstall).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: $(PYTHON) must be Python >= 3.11" >&2; exit 1; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -e '.[test]'
	@# an editable install compiles nothing; a regular pip install writes the .pyc files
	$(VENV)/bin/python -m compileall -q src
	touch $@

# Like the kernel: run from the build (O=) directory, with srctree pointing
# at the sources, so the source tree stays clean.
demo: venv
	rm -rf $(DEMO_OUT)
	$(VENV)/bin/kbuild -C examples/hello O=$(CURDIR)/$(DEMO_OUT) hello_defconfig
	$(VENV)/bin/kbuild -C examples/hello O=$(CURDIR)/$(DEMO_OUT) build
	$(DEMO_OUT)/hello

test: venv
	$(VENV)/bin/python -m pytest -q tests

compat: venv
	$(VENV)/bin/python tests/compat/harness.py --full -j$(JOBS)

bench: venv
	$(VENV)/bin/python bench/bench_conf.py
	$(VENV)/bin/python bench/bench_objects.py
	$(VENV)/bin/python bench/bench_menuconfig.py
	$(VENV)/bin/python bench/bench_build.py

clean:
	rm -rf build $(VENV)
