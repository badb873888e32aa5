#!/usr/bin/env bash
# Builds and runs every fuzz target of fuzz/ for SECONDS each (default 60), one after the other,
# and prints per target: seconds, executions, executions per second, corpus size and findings.
#
#   tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Needs the nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz (installed
# here when missing). Seeds come from the spec's examples (tools/fuzz_seeds.py, regenerated
# each run); the corpus grows in fuzz/corpus/TARGET, crashing inputs land in
# fuzz/artifacts/TARGET, logs in fuzz/logs/ (all ignored by git). Replay a finding with
# `cargo +nightly fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-...`.
# Exits 1 when a target found something. Record notable runs in FUZZING.md.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(decode_responses pagination_headers webhooks)
fi
# No sanitizer: the targets look for panics, overflows and broken properties in safe Rust;
# debug assertions and overflow checks are on (cargo-fuzz's default).
flags=(-s none)

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked || exit 2
fi
python3 tools/fuzz_seeds.py fuzz/seeds || exit 2
cargo +nightly fuzz build "${flags[@]}" || exit 2

mkdir -p fuzz/logs
summary=()
found_any=0
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  before=$(ls "fuzz/artifacts/$target" | wc -l)
  log="fuzz/logs/$target.log"
  echo "== $target: ${seconds}s"
  start=$(date +%s)
  cargo +nightly fuzz run "${flags[@]}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="fuzz/dicts/$target.dict" >"$log" 2>&1
  status=$?
  elapsed=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(ls "fuzz/corpus/$target" | wc -l)
  findings=$(( $(ls "fuzz/artifacts/$target" | wc -l) - before ))
  if [ "$status" -ne 0 ] || [ "$findings" -gt 0 ]; then
    found_any=1
    grep -E "panicked at|^SUMMARY|Test unit written to" "$log" | head -5
  fi
  summary+=("$(printf '%-20s %6ss %12s execs %8s exec/s  corpus %6s  findings %s (exit %s)' \
    "$target" "$elapsed" "${execs:-?}" "${rate:-?}" "$corpus" "$findings" "$status")")
done

echo
echo "== summary ($(date -u +%Y-%m-%dT%H:%MZ), $(rustc +nightly --version))"
printf '%s\n' "${summary[@]}"
exit "$found_any"
