#!/usr/bin/env bash
# Generates the Prisma client into src/stores/metadata/generated (npm run db:generate).
#
# `prisma generate` itself needs no native engine, but the CLI downloads the native schema engine
# before every command and fails where binaries.prisma.sh is unreachable. Online we run the CLI
# untouched; when that download fails, we retry with PRISMA_SCHEMA_ENGINE_BINARY pointing at a
# stub, which skips the download. Migrations never need the native engine (see
# src/stores/metadata/migrate.ts), so the stub is never executed for real work.
set -euo pipefail

cd "$(dirname "$0")/.."
# Run the CLI on the project's Node (node_modules/.bin/node), not whatever `node` is first on PATH.
export PATH="$PWD/node_modules/.bin:$PATH"

if [ -n "${PRISMA_SCHEMA_ENGINE_BINARY:-}" ]; then
  exec prisma generate
fi

if output=$(prisma generate 2>&1); then
  printf '%s\n' "$output"
  exit 0
fi

# Any other failure (an invalid schema, say) is reported as is.
if ! grep -q 'schema-engine' <<<"$output"; then
  printf '%s\n' "$output" >&2
  exit 1
fi

echo "prisma generate: native schema engine unavailable (offline?); retrying with a stub" >&2
stub=$(mktemp)
trap 'rm -f "$stub"' EXIT
printf '#!/bin/sh\necho "memtape: stub schema engine (native engine unavailable)" >&2\nexit 1\n' >"$stub"
chmod +x "$stub"
PRISMA_SCHEMA_ENGINE_BINARY="$stub" prisma generate
