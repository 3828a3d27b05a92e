#!/usr/bin/env bash
# Installs everything and runs every check: types, lint, and the whole test suite (storage
# suites also run on PostgreSQL when TEST_DATABASE_URL is set).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. scripts/ensure-node.sh
echo "node $(node --version), npm $(npm --version)"
npm ci --no-fund --no-audit
npm run --silent typecheck
npm run --silent lint
report=$(mktemp)
status=0
npm test -- --reporter=default --reporter=json --outputFile.json="$report" || status=$?
# vitest's own summary is decorated; print the plain closing line CI tools read.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" || true
rm -f "$report"
exit "$status"
