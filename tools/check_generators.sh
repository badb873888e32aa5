#!/usr/bin/env bash
# usage: bash tools/check_generators.sh
#
# Other languages, proven: generates a Python client and TypeScript types from openapi/moco.yaml
# the way a user of the spec would, and fails on anything that user would trip over:
#   1. openapi-python-client generates without a single warning about the spec;
#   2. mypy type-checks the generated package (settings and reasons: tools/mypy.ini);
#   3. the generated client decodes every response example of the spec, and each in the forms
#      MOCO's servers really send (integers as N.0 or "N", decimals as strings or numbers, ""
#      dates, {} objects: tools/python_decode_check.py);
#   4. openapi-typescript generates types without a warning, and tools/ts/usage.ts compiles
#      against them with `tsc --noEmit --strict` (tools/ts/tsconfig.json).
# Needs the tools of tools/package-lock.json (npm ci --prefix tools) and tools/requirements.txt;
# tools/check_spec.sh installs both when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
spec=openapi/moco.yaml
export PATH="$root/tools/node_modules/.bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf -- '-- %s\n' "$*"; }

# Fails if a generator said anything beyond its usual progress lines.
no_warnings() {
  local name=$1 log=$2 allowed=$3
  local extra
  extra=$(grep -Ev "$allowed" "$log" | grep -Ev '^[[:space:]]*$' || true)
  if [ -n "$extra" ]; then
    printf '%s printed more than its progress lines (a warning about the spec?):\n%s\n' "$name" "$extra"
    return 1
  fi
}

step "Python: openapi-python-client generate"
mkdir -p "$work/py"
if ! openapi-python-client generate --path "$spec" --config tools/openapi-python-client.yaml \
  --meta none --output-path "$work/py/moco_client" --fail-on-warning >"$work/python-gen.log" 2>&1; then
  cat "$work/python-gen.log"
  echo "openapi-python-client failed"
  exit 1
fi
cat "$work/python-gen.log"
no_warnings openapi-python-client "$work/python-gen.log" '^Generating '

step "Python: mypy (tools/mypy.ini)"
(cd "$work/py" && mypy --config-file "$root/tools/mypy.ini" --cache-dir "$work/mypy-cache" moco_client)

step "Python: decode every response example"
python3 tools/python_decode_check.py "$spec" "$work/py"

step "TypeScript: openapi-typescript"
mkdir -p "$work/ts"
if ! openapi-typescript "$spec" -o "$work/ts/moco.d.ts" >"$work/ts-gen.log" 2>&1; then
  cat "$work/ts-gen.log"
  echo "openapi-typescript failed"
  exit 1
fi
cat "$work/ts-gen.log"
no_warnings openapi-typescript "$work/ts-gen.log" '^(✨ openapi-typescript |🚀 )'

step "TypeScript: tsc --noEmit --strict tools/ts/usage.ts"
cat >"$work/tsconfig.json" <<EOF
{
  "extends": "$root/tools/ts/tsconfig.json",
  "compilerOptions": { "paths": { "moco-api": ["$work/ts/moco.d.ts"] } }
}
EOF
tsc -p "$work/tsconfig.json" --noEmit --strict
echo "tools/ts/usage.ts compiles against the generated types"
