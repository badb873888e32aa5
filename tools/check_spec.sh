#!/usr/bin/env bash
# usage: bash tools/check_spec.sh [--install]
#
# Every independent check of openapi/moco.yaml, with pinned tools; exits non-zero on any finding
# (errors and warnings alike):
#   1. openapi-spec-validator: the document is valid OpenAPI 3.0;
#   2. Redocly CLI lint, recommended ruleset (tools/redocly.yaml);
#   3. Spectral, spectral:oas (tools/.spectral.yaml), failing on warnings;
#   4. tools/strict_examples.py: every example under OAS30Validator's strict 3.0.3 semantics,
#      and page/per_page plus the pagination headers on every paginated list;
#   5. tools/check_generators.sh: Python client (generate, mypy, decode the examples) and
#      TypeScript types (generate, compile tools/ts/usage.ts).
# Installs the tools first when they are missing or differ from the pins (npm ci on
# tools/package-lock.json, pip on tools/requirements.txt); --install forces both.
set -euo pipefail
cd "$(dirname "$0")/.."
spec=openapi/moco.yaml
export PATH="$PWD/tools/node_modules/.bin:$PATH"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
start=$SECONDS

step() { printf '\n== %s\n' "$*"; }

python_tools_pinned() {
  python3 - tools/requirements.txt <<'EOF'
import re, sys
from importlib.metadata import PackageNotFoundError, version
for line in open(sys.argv[1]):
    m = re.match(r"\s*([A-Za-z0-9_.-]+)==([^\s#]+)", line)
    if not m:
        continue
    try:
        if version(m[1]) != m[2]:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
EOF
}

if [ "${1:-}" = "--install" ] || [ ! -f tools/node_modules/.package-lock.json ] \
  || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  step "install: npm ci --prefix tools"
  # --ignore-scripts: none of the tools needs an install script (the one present only reports usage).
  npm ci --prefix tools --ignore-scripts --no-audit --no-fund --loglevel=error
fi
if [ "${1:-}" = "--install" ] || ! python_tools_pinned; then
  step "install: pip install -r tools/requirements.txt"
  python3 -m pip install --quiet --disable-pip-version-check -r tools/requirements.txt
fi

step "openapi-spec-validator $(python3 -c 'from importlib.metadata import version; print(version("openapi-spec-validator"))')"
python3 -m openapi_spec_validator "$spec"

step "redocly lint (recommended) $(redocly --version 2>/dev/null)"
# Redocly exits non-zero on errors only; a warning is a finding too.
redocly_log=$(mktemp)
trap 'rm -f "$redocly_log"' EXIT
redocly_status=0
redocly lint --config tools/redocly.yaml --format=stylish "$spec" >"$redocly_log" 2>&1 || redocly_status=$?
# Leave out the Node.js version banner drawn in a box; show the rest.
grep -v '[║╔╚]' "$redocly_log" | grep -v '^[[:space:]]*$' || true
if [ "$redocly_status" -ne 0 ] || grep -Eq '^[[:space:]]+[0-9]+:[0-9]+[[:space:]]+(error|warning)' "$redocly_log"; then
  echo "redocly lint: findings above"
  exit 1
fi

step "spectral lint (spectral:oas) $(spectral --version)"
spectral lint --fail-severity=warn --ruleset tools/.spectral.yaml "$spec"

step "strict examples (OAS30Validator) and paginated lists"
python3 tools/strict_examples.py "$spec"

step "generated clients"
bash tools/check_generators.sh

printf '\ncheck_spec: no findings (%ss)\n' "$((SECONDS - start))"
