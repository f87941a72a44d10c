#!/usr/bin/env bash
# The web console in a real browser: Debian's chromium, driven by playwright-core (npm, pinned in
# package-lock.json), against the real `clausematch serve` with the sample imported
# (console.test.mjs). Exit 77 (ctest: skipped) only when node or chromium is not installed;
# scripts/install-deps installs both and runs `npm ci` here. ctest runs it as Web.Console.
#
#   tests/web/run.sh PATH/TO/clausematch
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool is not installed (scripts/install-deps installs it)"; exit 77; }
done
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || { echo "SKIPPED: chromium is not installed (scripts/install-deps installs it)"; exit 77; }
if [ ! -f "$here/node_modules/playwright-core/package.json" ] || [ ! -f "$here/node_modules/axe-core/axe.min.js" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi
export CHROMIUM="$chromium"
export CLAUSEMATCH_BIN="$1"
exec node "$here/console.test.mjs"
