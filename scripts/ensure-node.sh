# Sourced by the other scripts: makes sure `node` on PATH is >= 22.12 (the project runs
# TypeScript through Node's built-in type stripping). An older machine node gets Node 24 from
# the npm registry: system-wide under /usr/local when writable (as CI does), else in ./.tools.
node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! node_ok; then
  echo "node $(node --version 2>/dev/null || echo 'not found') is too old; installing Node 24 from the npm registry" >&2
  if [ -w /usr/local/bin ] && [ -w /usr/local/lib ]; then
    npm install --global --prefix /usr/local --no-fund --no-audit node@24 >&2
    hash -r
  else
    npm install --prefix "$ROOT/.tools" --no-save --no-fund --no-audit node@24 >&2
    export PATH="$ROOT/.tools/node_modules/.bin:$PATH"
  fi
  node_ok || { echo "could not provision Node >= 22.12" >&2; exit 1; }
fi
