#!/usr/bin/env bash
# Installs what the bot needs to run and starts it. Configuration comes from the environment
# (see README); a .env file in the project root is read when present.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. scripts/ensure-node.sh
npm ci --omit=dev --no-fund --no-audit
if [ -f .env ]; then exec node --env-file=.env src/main.ts; fi
exec node src/main.ts
