#!/usr/bin/env bash
# Runs every fuzz target for a fixed time under the per-input budgets of docs/limits.md
# (issue 29 item 6): an input that takes longer than the time budget or more memory than
# 1 GiB (a meeting's limit) is a failure libFuzzer saves in artifacts/<target>/, like a
# panic. Not part of CI (the instrumented build alone is ~12 CPU-minutes); a maintainer runs
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
# and adds a line to the table in fuzz/README.md. Exit status: non-zero if any target failed.
set -uo pipefail
cd "$(dirname "$0")"
seconds="${1:-300}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(docx docx_xml markdown pdf new meeting)
fi
# The time one input may take, in this build (typst and the readers' own crate unoptimised):
# the PDF reader draws every page, ~10× slower here than in `assemble`.
budget_seconds() {
  case "$1" in
    pdf) echo 30 ;;
    *) echo 10 ;;
  esac
}
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is not installed: cargo install --locked cargo-fuzz" >&2; exit 2; }
export RUSTC_BOOTSTRAP=1
status=0
summary=""
for t in "${targets[@]}"; do
  log="$(mktemp)"
  # -rss_limit_mb: the whole process; -malloc_limit_mb: any one allocation. Both 1 GiB.
  cargo fuzz run --dev -s none "$t" -- \
    -max_total_time="$seconds" -timeout="$(budget_seconds "$t")" \
    -rss_limit_mb=1024 -malloc_limit_mb=1024 -print_final_stats=1 >"$log" 2>&1
  code=$?
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
  peak="$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
  verdict="clean"
  if [ "$code" -ne 0 ]; then
    status=1
    verdict="FAILED ($(grep -m1 -o 'ERROR: libFuzzer: [a-z-]*\|panicked at[^,]*' "$log" || echo "exit $code")); see artifacts/$t/"
    tail -40 "$log" >&2
  fi
  summary+="$(printf '%-9s %6ss  %9s runs  peak %5s MB  %s' "$t" "$seconds" "${runs:-?}" "${peak:-?}" "$verdict")"$'\n'
  rm -f "$log"
done
printf '%s' "$summary"
exit "$status"
