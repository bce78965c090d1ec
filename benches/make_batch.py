#!/usr/bin/env python3
"""Writes a batch of N meta-analyses of 10 binary studies each (synthetic, deterministic),
in repool's input schema with an `analysis` column. Used by benches/batch.sh only."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
rng = random.Random(20261123)
out = sys.stdout
out.write("analysis,study,events_t,n_t,events_c,n_c\n")
for a in range(n):
    base = rng.uniform(0.05, 0.3)
    effect = rng.uniform(0.4, 1.2)
    for s in range(10):
        n_t, n_c = rng.randint(40, 400), rng.randint(40, 400)
        p_t = min(0.95, base * effect * rng.uniform(0.6, 1.6))
        e_t = sum(rng.random() < p_t for _ in range(n_t))
        e_c = sum(rng.random() < base for _ in range(n_c))
        out.write(f"a{a},s{s},{e_t},{n_t},{e_c},{n_c}\n")
