#!/usr/bin/env bash
# Times `repool pool` on a batch of N meta-analyses of 10 binary studies each (REML, CSV out),
# a pass that only reads the same file and writes rows of the same width (benches/parse_write.rs),
# and, when R with metafor is installed, the same analyses with metafor; prints the ratios and
# the machine. Each timing is the best of R runs (default 3), taken in turns.
#   bash benches/batch.sh [N] [R]          (default N = 100000, R = 3)
# Uses $CARGO_TARGET_DIR when set.
set -euo pipefail
# Timings are read from bash's EPOCHREALTIME (no process started), whose decimal point is the
# locale's: the C locale makes it a point.
export LC_ALL=C
cd "$(dirname "$0")/.."
n=${1:-100000}
reps=${2:-3}
target=${CARGO_TARGET_DIR:-target}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 benches/make_batch.py "$n" > "$tmp/batch.csv"
cargo build --release --quiet
cargo bench --bench parse_write --no-run --quiet 2>/dev/null
pw=$(ls -t "$target"/release/deps/parse_write-* | grep -v '\.d$' | head -1)

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
best_rs=; best_pw=
for _ in $(seq "$reps"); do
  # A new output file each time: replacing a 90 MB file first frees the old one's blocks,
  # which is the file system's time, not pooling's.
  rm -f "$tmp/out.csv"
  start=$EPOCHREALTIME
  "$target/release/repool" pool "$tmp/batch.csv" --measure RR --tau2 REML --format csv -o "$tmp/out.csv"
  end=$EPOCHREALTIME
  t=$(echo "$end - $start" | bc -l)
  if [ -z "$best_rs" ] || [ "$(echo "$t < $best_rs" | bc -l)" = 1 ]; then best_rs=$t; fi
  t=$("$pw" "$tmp/batch.csv" "$tmp/pw.csv" | cut -d' ' -f2)
  if [ -z "$best_pw" ] || [ "$(echo "$t < $best_pw" | bc -l)" = 1 ]; then best_pw=$t; fi
done
rows=$(($(wc -l < "$tmp/out.csv") - 1))
printf 'repool: %d analyses in %.3f s (%.2f us per analysis), best of %d\n' \
  "$rows" "$best_rs" "$(echo "$best_rs * 1000000 / $rows" | bc -l)" "$reps"
printf 'parse and write only: %.3f s (%.2f us per analysis)\n' \
  "$best_pw" "$(echo "$best_pw * 1000000 / $rows" | bc -l)"
printf 'ratio repool / (parse and write): %.2f\n' "$(echo "$best_rs / $best_pw" | bc -l)"
if command -v Rscript >/dev/null && Rscript -e 'library(metafor)' >/dev/null 2>&1; then
  m=$(( n < 2000 ? n : 2000 ))
  per=$(Rscript -e "
    suppressPackageStartupMessages(library(metafor))
    d <- read.csv('$tmp/batch.csv'); ids <- unique(d\$analysis)[1:$m]
    parts <- split(d[d\$analysis %in% ids, ], d\$analysis[d\$analysis %in% ids])
    t <- system.time(for (s in parts) {
      r <- try(rma(measure = 'RR', ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = s, method = 'REML'), silent = TRUE) })[['elapsed']]
    cat(t / $m)")
  printf 'metafor %s: %.3f ms per analysis (timed on %d analyses)\n' \
    "$(Rscript -e 'cat(as.character(packageVersion("metafor")))')" "$(echo "$per * 1000" | bc -l)" "$m"
  printf 'throughput ratio repool/metafor: %.0fx\n' "$(echo "$per * $rows / $best_rs" | bc -l)"
else
  echo "metafor not installed: skipping the comparison"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
