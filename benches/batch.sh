#!/usr/bin/env bash
# Times `repool pool` on a batch of N meta-analyses of 10 binary studies each (REML, CSV out)
# and, when R with metafor is installed, the same batch with metafor; prints the ratio.
#   bash benches/batch.sh [N]          (default N = 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 benches/make_batch.py "$n" > "$tmp/batch.csv"
cargo build --release --quiet
start=$(date +%s.%N)
./target/release/repool pool "$tmp/batch.csv" --measure RR --tau2 REML --format csv -o "$tmp/out.csv"
end=$(date +%s.%N)
rs=$(echo "$end - $start" | bc -l)
rows=$(($(wc -l < "$tmp/out.csv") - 1))
printf 'repool: %d analyses in %.2f s (%.1f us per analysis)\n' "$rows" "$rs" "$(echo "$rs * 1000000 / $rows" | bc -l)"
if command -v Rscript >/dev/null && Rscript -e 'library(metafor)' >/dev/null 2>&1; then
  m=$(( n < 2000 ? n : 2000 ))
  per=$(Rscript -e "
    suppressPackageStartupMessages(library(metafor))
    d <- read.csv('$tmp/batch.csv'); ids <- unique(d\$analysis)[1:$m]
    t <- system.time(for (a in ids) { s <- d[d\$analysis == a, ]
      r <- try(rma(measure = 'RR', ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = s, method = 'REML'), silent = TRUE) })[['elapsed']]
    cat(t / $m)")
  printf 'metafor: %.2f ms per analysis (timed on %d analyses)\n' "$(echo "$per * 1000" | bc -l)" "$m"
  printf 'throughput ratio repool/metafor: %.0fx\n' "$(echo "$per * $rows / $rs" | bc -l)"
else
  echo "metafor not installed: skipping the comparison"
fi
