#!/usr/bin/env bash
# usage: bash tools/python_fake_smoke.sh
#
# Other languages against the fake: generates the Python client from openapi/moco.yaml (as
# tools/check_generators.sh does, same settings: tools/openapi-python-client.yaml), starts the
# `moco-fake` binary (built here by cargo) on a free loopback port with a known number of
# projects, lists all projects through the generated client page by page with the API key, and
# fails unless it got exactly the seeded projects (and a 401 with a wrong key). The fake is
# stopped on exit.
# Needs openapi-python-client and what the generated client imports (tools/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/tools/node_modules/.bin:$PATH"
projects=37
key="smoke-$RANDOM$RANDOM"
work=$(mktemp -d)
fake_pid=
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf -- '-- %s\n' "$*"; }

step "build the moco-fake binary"
cargo build --quiet -p moco-fake --bin moco-fake
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
fake="$target_dir/debug/moco-fake"

step "Python: openapi-python-client generate"
if ! openapi-python-client generate --path openapi/moco.yaml --config tools/openapi-python-client.yaml \
  --meta none --output-path "$work/py/moco_client" --fail-on-warning >"$work/python-gen.log" 2>&1; then
  cat "$work/python-gen.log"
  echo "openapi-python-client failed"
  exit 1
fi

step "start moco-fake on a free loopback port ($projects projects)"
"$fake" --host 127.0.0.1 --port 0 --api-key "$key" --seed 7 --projects "$projects" >"$work/fake.log" 2>&1 &
fake_pid=$!
url=
for _ in $(seq 1 300); do
  url=$(sed -n 's/^moco-fake listening on //p' "$work/fake.log")
  [ -n "$url" ] && break
  kill -0 "$fake_pid" 2>/dev/null || { cat "$work/fake.log"; echo "moco-fake exited"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/fake.log"; echo "moco-fake did not start within 30 s"; exit 1; }
echo "fake at $url"

step "Python: list projects from the fake with the generated client"
PYTHONPATH="$work/py" python3 - "$url" "$key" "$projects" <<'EOF'
import sys

from moco_client import AuthenticatedClient
from moco_client.api.projects import list_projects

url, key, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = AuthenticatedClient(base_url=url, token=f"token={key}", prefix="Token")
names, page = [], 1
while True:
    response = list_projects.sync_detailed(client=client, page=page, per_page=10)
    assert response.status_code == 200, f"page {page}: status {response.status_code}: {response.content[:200]!r}"
    assert isinstance(response.parsed, list), f"page {page}: not decoded as a list: {response.content[:200]!r}"
    names += [p.name for p in response.parsed]
    if 'rel="next"' not in response.headers.get("link", ""):
        break
    page += 1
total = int(response.headers["x-total"])
assert len(names) == expected == total, f"listed {len(names)} projects, X-Total {total}, seeded {expected}"
assert all(isinstance(n, str) and n for n in names), "a project without a name"
wrong = AuthenticatedClient(base_url=url, token="token=wrong", prefix="Token")
status = list_projects.sync_detailed(client=wrong).status_code
assert status == 401, f"a wrong key got {status}, not 401"
print(f"listed {len(names)} projects over {page} pages (X-Total {total}); a wrong key gets 401")
EOF
