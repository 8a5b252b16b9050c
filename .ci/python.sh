# Sourced by the .ci scripts (not a command): which Python they run, so they work in the
# environment the reader is in, not only in the README's .venv.
#   1. $PYTHON, if set (any interpreter: PYTHON=/opt/conda/envs/x/bin/python .ci/build-html);
#   2. else the repository's .venv/bin/python, if it exists (the README's install);
#   3. else python3, or python, on PATH (conda, Binder, an activated virtual environment).
# The caller has already cd'ed to the repository's root.
#
#   require_python SCRIPT MODULE...   sets $py, or exits 1 saying which module is missing
#                                     and how to install it.

require_python() {
  local script=$1
  shift
  if [ -n "${PYTHON:-}" ]; then
    py=$PYTHON
  elif [ -x .venv/bin/python ]; then
    py=.venv/bin/python
  elif command -v python3 >/dev/null 2>&1; then
    py=$(command -v python3)
  elif command -v python >/dev/null 2>&1; then
    py=$(command -v python)
  else
    echo "$script: no Python found: no .venv/bin/python here and no python3 or python on PATH." >&2
    echo "  Install the project first (README, Quick start), or set PYTHON=/path/to/python." >&2
    exit 1
  fi
  local missing
  # find_spec looks a module up without importing it: one quick call for all of them. The
  # current directory is left off sys.path, so ./initact is not taken for an install.
  if ! missing=$("$py" -c 'import importlib.util as u, sys
sys.path = [p for p in sys.path if p not in ("", ".")]
print(" ".join(m for m in sys.argv[1:] if u.find_spec(m) is None))' "$@" 2>&1); then
    echo "$script: $py does not run as a Python interpreter${missing:+:}" >&2
    if [ -n "$missing" ]; then echo "$missing" >&2; fi
    echo "  Set PYTHON=/path/to/python, or install the project (README, Quick start)." >&2
    exit 1
  fi
  if [ -n "$missing" ]; then
    echo "$script: $py cannot import: $missing" >&2
    echo "  Install the project with its extras into that environment:" >&2
    echo "    python3 -m venv .venv && .venv/bin/pip install -e \".[dev]\"   (README, Quick start)" >&2
    echo "  or: conda env create -f environment.yml && conda activate initact" >&2
    echo "  or point PYTHON at an interpreter that has it: PYTHON=/path/to/python $script" >&2
    exit 1
  fi
}
