#!/usr/bin/env Rscript
# How asymmetric do legitimate (non-Wald) confidence and credible intervals get?
# The numbers behind the severity cut-off of `repool check` (src/check/severity.rs).
#
# Run from the repository root:   Rscript tests/check/asymmetry.R > tests/check/asymmetry.txt
# Needs R with metafor, metadat and MASS. The output is committed; no test needs R.
#
# Asymmetry is measured as repool measures it, on the analysis scale (log for ratios):
#   a = ((upper - est) - (est - lower)) / (upper - lower),
# i.e. the difference of the two halves as a fraction of the width; |a| = 1/3 means one half
# is twice the other.

suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
  library(MASS)
})

asym <- function(est, lo, hi) ((hi - est) - (est - lo)) / (hi - lo)
z <- qnorm(0.975)
rows <- list()
add <- function(kind, case, est, lo, hi, extra = "") {
  rows[[length(rows) + 1]] <<- data.frame(
    interval = kind, case = case, est = est, lower = lo, upper = hi,
    asymmetry = asym(est, lo, hi), note = extra)
}

# ---- 2x2 tables of single trials: events_t/n_t vs events_c/n_c ------------------------
tables <- rbind(
  c(1, 100, 8, 100), c(1, 10, 5, 10), c(1, 25, 6, 25), c(2, 30, 8, 30), c(3, 40, 10, 40), c(5, 50, 12, 50),
  c(8, 60, 4, 60), c(15, 100, 30, 100), c(40, 200, 60, 200), c(100, 1000, 150, 1000))

for (i in seq_len(nrow(tables))) {
  t <- tables[i, ]
  case <- sprintf("%d/%d vs %d/%d", t[1], t[2], t[3], t[4])
  d <- data.frame(y = c(1, 0, 1, 0), g = c(1, 1, 0, 0),
                  w = c(t[1], t[2] - t[1], t[3], t[4] - t[3]))
  fit <- glm(y ~ g, family = binomial, weights = w, data = d)
  b <- unname(coef(fit)["g"])
  se <- sqrt(vcov(fit)["g", "g"])
  # Profile-likelihood CI of the log OR (MASS's confint for glm).
  pl <- suppressMessages(confint(fit, "g"))
  add("profile likelihood, log OR (glm)", case, b, pl[1], pl[2],
      sprintf("Wald SE %.4f; SE from lower half %.4f, upper half %.4f; Wald SE between: %s",
              se, (b - pl[1]) / z, (pl[2] - b) / z,
              se >= min(b - pl[1], pl[2] - b) / z && se <= max(b - pl[1], pl[2] - b) / z))
  # Exact conditional CI of the OR (Fisher), around the conditional MLE.
  ft <- fisher.test(matrix(c(t[1], t[2] - t[1], t[3], t[4] - t[3]), 2, byrow = TRUE))
  add("exact conditional (Fisher), log OR", case, log(ft$estimate),
      log(ft$conf.int[1]), log(ft$conf.int[2]))
  # Newcombe's hybrid score CI of the RD (method 10; Wilson intervals of each arm).
  p1 <- t[1] / t[2]; p2 <- t[3] / t[4]
  w1 <- prop.test(t[1], t[2], correct = FALSE)$conf.int
  w2 <- prop.test(t[3], t[4], correct = FALSE)$conf.int
  rd <- p1 - p2
  add("Newcombe hybrid score, RD", case, rd,
      rd - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2),
      rd + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
  # Clopper-Pearson CI of the treatment arm's risk, on the log scale.
  cp <- binom.test(t[1], t[2])$conf.int
  add("Clopper-Pearson, log risk of one arm", case, log(p1), log(cp[1]), log(cp[2]))
}

# ---- Exact (noncentral t) CI of a single trial's standardised mean difference -------------
# P(T <= t | ncp) = E[Phi(t sqrt(V / df) - ncp)], V ~ chi^2(df), by numerical integration
# (pt() with ncp warns about its precision for these arguments).
pnct <- function(t, df, ncp) integrate(function(v) pnorm(t * sqrt(v / df) - ncp) * dchisq(v, df),
                                       0, Inf, rel.tol = 1e-10)$value
for (s in list(c(0.5, 10), c(0.5, 20), c(0.8, 10), c(1.2, 10), c(1.2, 30))) {
  d <- s[1]; n <- s[2]
  k <- sqrt(n * n / (2 * n)); df <- 2 * n - 2; tobs <- d * k
  lo <- uniroot(function(ncp) pnct(tobs, df, ncp) - 0.975, tobs + c(-10, 0), tol = 1e-10)$root / k
  hi <- uniroot(function(ncp) pnct(tobs, df, ncp) - 0.025, tobs + c(0, 10), tol = 1e-10)$root / k
  add("exact noncentral t, SMD (d)", sprintf("d = %.1f, n = %d per arm", d, n), d, lo, hi)
}

# ---- Pooled estimates ----------------------------------------------------------------------
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
subsets <- list("BCG, all 13 trials" = 1:13, "BCG trials 1-5" = 1:5, "BCG trials 1-3" = 1:3,
                "BCG trials 4, 7, 12" = c(4, 7, 12))

# Knapp-Hartung (t-based) CI: symmetric on the analysis scale by construction.
for (nm in names(subsets)) {
  r <- rma(yi, vi, data = bcg[subsets[[nm]], ], test = "knha")
  add("Knapp-Hartung (t), pooled log RR", nm, r$b[1], r$ci.lb, r$ci.ub)
}

# Profile-likelihood CI of the pooled mean (Hardy & Thompson 1996, Stat Med 15:619-629):
# the ML log-likelihood maximised over tau^2 for each fixed mu.
ll <- function(mu, tau2, y, v) -0.5 * sum(log(v + tau2) + (y - mu)^2 / (v + tau2))
prof <- function(mu, y, v) optimize(function(t2) ll(mu, t2, y, v), c(0, 10), maximum = TRUE)$objective
for (nm in names(subsets)) {
  y <- bcg$yi[subsets[[nm]]]; v <- bcg$vi[subsets[[nm]]]
  fit <- rma(y, v, method = "ML")
  m <- fit$b[1]; lmax <- prof(m, y, v)
  f <- function(mu) 2 * (lmax - prof(mu, y, v)) - qchisq(0.95, 1)
  lo <- uniroot(f, c(m - 10, m))$root; hi <- uniroot(f, c(m, m + 10))$root
  add("profile likelihood (Hardy-Thompson), pooled log RR", nm, m, lo, hi)
}

# Bayesian random-effects meta-analysis, flat prior on mu, half-normal(0.5) prior on tau
# (as in Roever 2020, J Stat Softw 93(6)), posterior by numerical integration over tau:
# mu | tau, y ~ N(mu_hat(tau), V(tau)); posterior median and equal-tailed 95% interval.
bayes <- function(y, v, scale = 0.5) {
  tau <- seq(0, 5, length.out = 4001)
  lw <- sapply(tau, function(t) {
    w <- 1 / (v + t^2); V <- 1 / sum(w); m <- V * sum(w * y)
    0.5 * log(V) + 0.5 * sum(log(w)) - 0.5 * sum(w * (y - m)^2)
  }) + dnorm(tau, 0, scale, log = TRUE)
  pw <- exp(lw - max(lw)); pw <- pw / sum(pw)
  mus <- sapply(tau, function(t) { w <- 1 / (v + t^2); sum(w * y) / sum(w) })
  sds <- sapply(tau, function(t) sqrt(1 / sum(1 / (v + t^2))))
  cdf <- function(x) sum(pw * pnorm(x, mus, sds))
  q <- function(p) uniroot(function(x) cdf(x) - p, range(mus) + c(-20, 20) * max(sds))$root
  c(q(0.5), q(0.025), q(0.975))
}
for (nm in names(subsets)) {
  b <- bayes(bcg$yi[subsets[[nm]]], bcg$vi[subsets[[nm]]])
  add("Bayesian credible (half-normal(0.5) on tau), pooled log RR", nm, b[1], b[2], b[3])
}
for (sc in c(1, 2)) {
  for (nm in c("BCG trials 1-3", "BCG trials 4, 7, 12")) {
    b <- bayes(bcg$yi[subsets[[nm]]], bcg$vi[subsets[[nm]]], sc)
    add(sprintf("Bayesian credible (half-normal(%g) on tau), pooled log RR", sc), nm, b[1], b[2], b[3])
  }
}

# ---- Output --------------------------------------------------------------------------------
out <- do.call(rbind, rows)
out$est <- round(out$est, 4); out$lower <- round(out$lower, 4); out$upper <- round(out$upper, 4)
out$asymmetry <- round(out$asymmetry, 3)
options(width = 200)
print(out[, c("interval", "case", "est", "lower", "upper", "asymmetry")], row.names = FALSE, right = FALSE)
cat("\nProfile-likelihood CIs of a log OR: is the Wald SE between the SEs implied by the halves?\n")
notes <- out[out$note != "", c("case", "note")]
print(notes, row.names = FALSE, right = FALSE)
cat("\nLargest |asymmetry| per kind of interval:\n")
big <- tapply(abs(out$asymmetry), sub(" \\(half-normal.*\\)", "", out$interval), max)
print(data.frame(largest = round(big, 3)), right = FALSE)
