#!/usr/bin/env bash
# Compares `traindx check --format json` of the working tree with that of another revision, on the
# bundled examples and on every run of ../shared/real-logs (each folder checked on its own, and the
# whole tree at once). Used to prove that a restructuring changed no finding, no point count, no byte.
#   bash scripts/cli-compare.sh [REV]     REV defaults to HEAD (compare uncommitted work with HEAD)
# Exit 0 = identical, 1 = differences (a unified diff of each differing output is printed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REV="${1:-HEAD}"
cd "$ROOT"
TMP="$(mktemp -d)"
trap 'git worktree remove --force "$TMP/base" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT

git worktree add --detach "$TMP/base" "$REV" >/dev/null 2>&1
ln -s "$ROOT/node_modules" "$TMP/base/node_modules"
(cd "$TMP/base" && node esbuild.mjs >/dev/null)
node esbuild.mjs >/dev/null

targets=(examples)
REAL="$ROOT/../shared/real-logs"
if [ -d "$REAL" ]; then
  targets+=("$REAL")
  for d in "$REAL"/*/; do targets+=("${d%/}"); done
fi

status=0
n=0
for t in "${targets[@]}"; do
  n=$((n + 1))
  node "$TMP/base/dist/cli.js" check "$t" --format json --fail-on never >"$TMP/a.json" 2>&1 || true
  node dist/cli.js check "$t" --format json --fail-on never >"$TMP/b.json" 2>&1 || true
  if ! cmp -s "$TMP/a.json" "$TMP/b.json"; then
    status=1
    echo "DIFFERS: $t"
    diff -u "$TMP/a.json" "$TMP/b.json" | head -40 || true
  fi
done
if [ $status -eq 0 ]; then echo "identical: $n targets (examples, real-logs whole and per run) against $REV"; fi
exit $status
