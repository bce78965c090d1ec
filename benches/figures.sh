#!/usr/bin/env bash
# Times figures as PNG: a forest plot and a funnel plot of 200 binary studies, and the network
# graph of datasets/hasselblad1998, each with its SVG for comparison; and, when R is installed,
# metafor's forest() and funnel() into png() at the same pixel size, and igraph's plot() of the
# same network (treatments on a circle, edge widths and labels the number of studies, node
# sizes the participants; netmeta's netgraph() is not packaged for Debian) into png() at the
# network graph's pixel size. Each repool figure is timed twice: as the whole command
# (starting, reading and pooling the CSV, drawing, writing the file), and as the drawing alone
# from the fitted analysis to the PNG file, in one process (benches/figures.rs), which is what
# R's time counts. Prints both ratios, peak memory (GNU time, when installed) and the machine.
# Best of R runs (default 3).
#   bash benches/figures.sh [R]        (uses $CARGO_TARGET_DIR when set)
set -euo pipefail
# Timings are read from bash's EPOCHREALTIME (no process started), whose decimal point is the
# locale's: the C locale makes it a point.
export LC_ALL=C
cd "$(dirname "$0")/.."
reps=${1:-3}
target=${CARGO_TARGET_DIR:-target}
bin="$target/release/repool"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --release --quiet
cargo bench --quiet --bench figures --no-run 2>/dev/null
python3 - "$tmp/k200.csv" <<'PY'
import random, sys
rng = random.Random(200)
with open(sys.argv[1], "w") as f:
    f.write("study,events_t,n_t,events_c,n_c\n")
    for s in range(200):
        n_t, n_c = rng.randint(40, 400), rng.randint(40, 400)
        base = rng.uniform(0.05, 0.3)
        p = min(0.95, base * rng.uniform(0.4, 1.6))
        e_t = sum(rng.random() < p for _ in range(n_t))
        e_c = sum(rng.random() < base for _ in range(n_c))
        f.write(f"Study {s + 1},{e_t},{n_t},{e_c},{n_c}\n")
PY
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# best <command...>: the shortest wall time of $reps runs, in seconds. Read from bash's
# EPOCHREALTIME, which starts no process, so that the time is the command's own (a `date`
# started after the command would add its own start-up, a few ms).
best() {
  local b= t s e
  for _ in $(seq "$reps"); do
    s=$EPOCHREALTIME; "$@" >/dev/null; e=$EPOCHREALTIME
    t=$(echo "$e - $s" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
  done
  echo "$b"
}
# peak <command...>: peak resident memory in MB, when GNU time is installed.
peak() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f MB", $1 / 1024}'
  else
    echo "?"
  fi
}
# size <png>: width and height from the PNG header.
size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'; }

forest=(forest "$tmp/k200.csv" --measure RR)
funnel=(funnel "$tmp/k200.csv" --measure RR)
graph=(network datasets/hasselblad1998/data.csv --measure OR --reference no_contact)
declare -A secs
for fig in forest funnel; do
  eval "args=(\"\${$fig[@]}\")"
  secs[$fig.png]=$(best "$bin" "${args[@]}" -o "$tmp/$fig.png")
  secs[$fig.svg]=$(best "$bin" "${args[@]}" -o "$tmp/$fig.svg")
  printf '%s, 200 studies: PNG %s px %.3f s (%s), SVG %.3f s\n' "$fig" "$(size "$tmp/$fig.png" | tr ' ' x)" \
    "${secs[$fig.png]}" "$(peak "$bin" "${args[@]}" -o "$tmp/$fig.png")" "${secs[$fig.svg]}"
done
# Drawing alone, in one process: "forest <seconds>", "funnel <seconds>", "graph <seconds>".
mkdir "$tmp/lib"
declare -A drawn
while read -r fig s; do drawn[$fig]=$s; done < <(cargo bench --quiet --bench figures -- \
  "$tmp/k200.csv" datasets/hasselblad1998/data.csv no_contact "$tmp/lib" "$((reps * 2))")
printf 'drawing alone (fitted analysis to PNG file, in one process): forest %.3f s, funnel %.3f s, graph %.3f s\n' \
  "${drawn[forest]}" "${drawn[funnel]}" "${drawn[graph]}"
g_png=$(best "$bin" "${graph[@]}" --graph "$tmp/graph.png")
g_svg=$(best "$bin" "${graph[@]}" --graph "$tmp/graph.svg")
printf 'network graph (hasselblad1998, with the analysis): PNG %s px %.3f s (%s), SVG %.3f s\n' \
  "$(size "$tmp/graph.png" | tr ' ' x)" "$g_png" "$(peak "$bin" "${graph[@]}" --graph "$tmp/graph.png")" "$g_svg"

if command -v Rscript >/dev/null && Rscript -e 'library(metafor)' >/dev/null 2>&1; then
  for fig in forest funnel; do
    read -r w h < <(size "$tmp/$fig.png")
    r=$(Rscript -e "
      suppressPackageStartupMessages(library(metafor))
      d <- read.csv('$tmp/k200.csv')
      fit <- rma(measure = 'RR', ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = d, method = 'REML')
      b <- Inf
      for (i in 1:$reps) b <- min(b, system.time({
        png('$tmp/r.png', width = $w, height = $h); $fig(fit); invisible(dev.off()) })[['elapsed']])
      cat(b)")
    printf '%s: metafor %s() + png() at %sx%s px: %.3f s; ratio metafor/repool: %.1fx the command, %.1fx drawing alone\n' \
      "$fig" "$fig" "$w" "$h" "$r" "$(echo "$r / ${secs[$fig.png]}" | bc -l)" "$(echo "$r / ${drawn[$fig]}" | bc -l)"
    # The whole job as a command: Rscript loading metafor, reading, fitting, drawing.
    cat > "$tmp/$fig.R" <<R
suppressPackageStartupMessages(library(metafor))
d <- read.csv('$tmp/k200.csv')
fit <- rma(measure = 'RR', ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = d, method = 'REML')
png('$tmp/r.png', width = $w, height = $h); $fig(fit); invisible(dev.off())
R
    whole=$(best Rscript "$tmp/$fig.R")
    printf '%s: Rscript, the same job as the command: %.3f s; ratio: %.0fx\n' \
      "$fig" "$whole" "$(echo "$whole / ${secs[$fig.png]}" | bc -l)"
  done
else
  echo "metafor not installed: skipping the comparison"
fi
if command -v Rscript >/dev/null && Rscript -e 'library(igraph)' >/dev/null 2>&1; then
  read -r w h < <(size "$tmp/graph.png")
  r=$(Rscript - <<R
suppressPackageStartupMessages(library(igraph))
d <- read.csv('datasets/hasselblad1998/data.csv')
arms <- split(d\$treatment, d\$study)
pairs <- do.call(rbind, lapply(arms, function(t) if (length(t) > 1) t(combn(sort(t), 2))))
e <- aggregate(n ~ a + b, data.frame(a = pairs[, 1], b = pairs[, 2], n = 1), sum)
g <- graph_from_data_frame(e[, 1:2], directed = FALSE)
size <- tapply(d\$n, d\$treatment, sum)[V(g)\$name]
l <- layout_in_circle(g)
b <- Inf
for (i in 1:$reps) b <- min(b, system.time({
  png('$tmp/r.png', width = $w, height = $h)
  plot(g, layout = l, vertex.size = 10 * sqrt(size / max(size)), vertex.color = '#1f3b73',
       vertex.label.dist = 2.5, vertex.label.color = 'black', edge.width = 2 * e\$n,
       edge.label = e\$n, edge.color = '#7a8aa6', main = '24 studies, 4 treatments',
       sub = 'Node area: participants; edge width and number: studies comparing the two treatments directly')
  invisible(dev.off()) })[['elapsed']])
cat(b)
R
)
  printf 'graph: igraph plot() + png() at %sx%s px: %.3f s; ratio igraph/repool: %.1fx the command, %.1fx drawing alone\n' \
    "$w" "$h" "$r" "$(echo "$r / $g_png" | bc -l)" "$(echo "$r / ${drawn[graph]}" | bc -l)"
else
  echo "igraph not installed: skipping the network graph comparison"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
