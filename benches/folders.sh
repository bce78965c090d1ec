#!/usr/bin/env bash
# Times `repool report` over the bundled datasets and `repool revman` over a folder of reviews
# (default ../shared/revman-samples, skipped when absent), each with one thread (-j 1) and with
# every core (-j N); prints the best of R runs (default 5) and the machine.
#   bash benches/folders.sh [R] [REVIEWS]      (uses $CARGO_TARGET_DIR when set)
set -euo pipefail
# Timings are read from bash's EPOCHREALTIME (no process started), whose decimal point is the
# locale's: the C locale makes it a point.
export LC_ALL=C
cd "$(dirname "$0")/.."
reps=${1:-5}
reviews=${2:-../shared/revman-samples}
target=${CARGO_TARGET_DIR:-target}
bin="$target/release/repool"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --release --quiet
cores=$(nproc)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $cores cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# best <command...>: the shortest wall time of $reps runs, in milliseconds. Exit code 1 (a
# discrepancy found by `revman`) is a result, not a failure.
best() {
  local b= t s e rc
  for _ in $(seq "$reps"); do
    s=${EPOCHREALTIME/./}
    rc=0; "$@" >/dev/null 2>&1 || rc=$?
    e=${EPOCHREALTIME/./}
    if [ "$rc" -gt 1 ]; then echo "failed ($rc): $*" >&2; exit 2; fi
    t=$(( (e - s) / 1000 ))
    if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
  done
  echo "$b"
}

n=$(find datasets -mindepth 1 -maxdepth 1 -type d | wc -l)
for j in 1 "$cores"; do
  printf 'report, %d bundled datasets, -j %d: %d ms\n' "$n" "$j" \
    "$(best "$bin" report datasets --out "$tmp/reports-$j" -j "$j")"
done
if [ -d "$reviews" ]; then
  for j in 1 "$cores"; do
    printf 'revman over %s, -j %d: %d ms\n' "$reviews" "$j" \
      "$(best "$bin" revman "$reviews" --format csv -j "$j")"
  done
else
  echo "no folder of reviews at $reviews: skipping revman"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
