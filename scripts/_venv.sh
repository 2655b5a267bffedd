# Sourced by scripts/demo and scripts/test: make .venv with Python 3.11, 3.12 or 3.13 and this
# project installed, reinstalling only when pyproject.toml changed.
set -euo pipefail

find_python() {
  # The plain names first (what the user runs), then the versioned ones; a pyenv shim that
  # names a version not enabled fails the check and is skipped.
  for candidate in "${PYTHON:-}" python3 python python3.13 python3.12 python3.11; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "Refairn needs Python 3.11, 3.12 or 3.13 (set PYTHON=/path/to/python3)." >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  "$(find_python)" -m venv .venv
fi
stamp=.venv/.refairn-installed
want=$(cat pyproject.toml | .venv/bin/python -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing Refairn and its dependencies into .venv ..."
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  echo "$want" > "$stamp"
fi
