#!/usr/bin/env Rscript
# Writes the golden reference values that tests/golden.rs compares repool with.
#
# Run from the repository root:   Rscript tests/golden/make_golden.R
# Needs R with the metafor and metadat packages (Debian: r-base-core r-cran-metafor
# r-cran-metadat r-cran-jsonlite). The output (tests/golden/data/*.csv and
# tests/golden/metafor.json) is committed, so the test suite itself never needs R.
#
# Convergence: metafor's defaults stop Fisher scoring when tau^2 changes by less than
# 1e-5 and uniroot() at a tolerance of about 1.2e-4. The golden values are made with
# much tighter settings (threshold = tol = 1e-12) so that they are the estimators'
# exact solutions, which is what repool computes.

suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
  library(jsonlite)
})

out_dir <- "tests/golden"
data_dir <- file.path(out_dir, "data")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000, tau2.max = 1e4)

write_input <- function(df, name) {
  write.csv(df, file.path(data_dir, name), row.names = FALSE, quote = TRUE)
}

# ---- input data sets (from metadat, in repool's input schema) -------------------------
bcg <- data.frame(study = dat.bcg$author, year = dat.bcg$year,
                  events_t = dat.bcg$tpos, n_t = dat.bcg$tpos + dat.bcg$tneg,
                  events_c = dat.bcg$cpos, n_c = dat.bcg$cpos + dat.bcg$cneg)
write_input(bcg, "bcg.csv")
write_input(bcg[1, ], "bcg_k1.csv")
# Two studies: the Q-profile CI of tau^2 needs chi-squared quantiles with 1 df.
write_input(bcg[1:2, ], "bcg_k2.csv")

niel <- data.frame(study = dat.nielweise2007$author, year = dat.nielweise2007$year,
                   events_t = dat.nielweise2007$ai, n_t = dat.nielweise2007$n1i,
                   events_c = dat.nielweise2007$ci, n_c = dat.nielweise2007$n2i)
write_input(niel, "nielweise2007.csv")

norm <- data.frame(study = dat.normand1999$source,
                   mean_t = dat.normand1999$m1i, sd_t = dat.normand1999$sd1i, n_t = dat.normand1999$n1i,
                   mean_c = dat.normand1999$m2i, sd_c = dat.normand1999$sd2i, n_c = dat.normand1999$n2i)
write_input(norm, "normand1999.csv")

hack <- data.frame(study = paste(dat.hackshaw1998$author, dat.hackshaw1998$year),
                   yi = dat.hackshaw1998$yi, vi = dat.hackshaw1998$vi)
write_input(hack, "hackshaw1998.csv")

# Kacker (2004), Metrologia 41:132-136, the example used by statsmodels' tests.
kacker <- data.frame(study = paste0("lab", 1:9),
                     yi = c(61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9),
                     vi = c(0.2025, 1.21, 0.09, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225))
write_input(kacker, "kacker2004.csv")

cases <- list()
add_case <- function(id, file, opts, res, pred, yi, vi, weights, extra = list()) {
  expected <- list(
    estimate = unname(res$beta[1]), se = res$se, ci_low = res$ci.lb, ci_high = res$ci.ub,
    statistic = res$zval, p_value = res$pval,
    tau2 = res$tau2, q = res$QE, q_p = res$QEp, i2 = res$I2, h2 = res$H2,
    pi_low = if (is.null(pred$pi.lb)) pred$ci.lb else pred$pi.lb,
    pi_high = if (is.null(pred$pi.ub)) pred$ci.ub else pred$pi.ub,
    yi = as.numeric(yi), vi = as.numeric(vi), weights = as.numeric(weights))
  for (n in names(extra)) expected[[n]] <- extra[[n]]
  cases[[length(cases) + 1]] <<- c(list(id = id, data = file), opts, list(expected = expected))
}

methods <- c("EE", "DL", "REML", "ML", "PM", "HE", "SJ", "EB", "HS")
tests <- c(z = "z", hksj = "knha", "hksj-adhoc" = "adhoc")

run_uni <- function(name, file, dat, measure, cc = list(add = 0.5, to = "only0", drop00 = FALSE),
                    vtype = "LS", init = list(), extra_of = function(m) list()) {
  for (m in methods) {
    for (ci in names(tests)) {
      ctl <- if (is.null(init[[m]])) ctrl else c(ctrl, list(tau2.init = init[[m]]))
      res <- rma(yi, vi, data = dat, method = m, test = tests[[ci]], control = ctl)
      pred <- predict(res)
      model <- if (m == "EE") "fixed" else "random"
      opts <- list(measure = measure, model = model, method = "IV",
                   tau2 = if (m == "EE") NULL else m, ci = ci,
                   cc = cc$add, cc_to = cc$to, drop_double_zero = cc$drop00,
                   iterative = m %in% c("REML", "ML", "PM", "EB"))
      if (vtype != "LS") opts$vtype <- vtype
      extra <- extra_of(m)
      if (model == "random" && ci == "z" && res$k >= 3) {
        # Higgins, Thompson & Spiegelhalter (2009): t with k - 2 df.
        crit <- qt(0.975, df = res$k - 2)
        extra$pi_higgins_low <- unname(res$beta[1]) - crit * sqrt(res$se^2 + res$tau2)
        extra$pi_higgins_high <- unname(res$beta[1]) + crit * sqrt(res$se^2 + res$tau2)
      }
      if (model == "random" && res$k >= 2) {
        # Q-profile CIs for tau^2, I^2, H^2 (metafor's confint() default).
        qp <- confint(res, control = list(tol = 1e-12))$random
        extra$tau2_ci <- unname(qp["tau^2", c("ci.lb", "ci.ub")])
        extra$i2_ci <- unname(qp["I^2(%)", c("ci.lb", "ci.ub")])
        extra$h2_ci <- unname(qp["H^2", c("ci.lb", "ci.ub")])
      }
      if (res$k >= 3) {
        # Higgins & Thompson (2002) test-based CI of I^2, computed from its formula.
        Q <- res$QE; k <- res$k; df <- k - 1
        se <- if (Q > k) 0.5 * (log(Q) - log(df)) / (sqrt(2 * Q) - sqrt(2 * k - 3)) else
          sqrt(1 / (2 * (k - 2)) * (1 - 1 / (3 * (k - 2)^2)))
        lnH <- 0.5 * log(Q / df)
        i2 <- function(x) max(0, 100 * (exp(2 * x) - 1) / exp(2 * x))
        extra$i2_ht_ci <- c(i2(lnH - qnorm(0.975) * se), i2(lnH + qnorm(0.975) * se))
      }
      if (res$k >= 2) {
        # RevMan 5's I^2 = (Q - df) / Q, truncated at 0.
        extra$i2_q <- max(0, 100 * (res$QE - (res$k - 1)) / res$QE)
        extra$h2_q <- res$QE / (res$k - 1)
      }
      add_case(sprintf("%s/%s/%s/%s", name, measure, m, ci), file, opts, res, pred,
               dat$yi, dat$vi, weights(res), extra)
    }
  }
}

run_binary <- function(name, file, df) {
  for (measure in c("RR", "OR", "RD")) {
    dat <- escalc(measure = measure, ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = df)
    run_uni(name, file, dat, measure)
    # Mantel-Haenszel (common effect), with Q around the MH estimate as metafor does.
    # k counts every table, k.yi the tables with an effect of their own (Q has k.yi - 1 df).
    res <- rma.mh(measure = measure, ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = df,
                  level = 95)
    pred <- list(ci.lb = res$ci.lb, ci.ub = res$ci.ub)
    add_case(sprintf("%s/%s/MH", name, measure), file,
             list(measure = measure, model = "fixed", method = "MH", ci = "z", cc = 0.5,
                  cc_to = "only0", drop_double_zero = TRUE, iterative = FALSE),
             res, pred, res$yi, res$vi, weights(res), list(k = res$k, k_yi = res$k.yi))
  }
  res <- rma.peto(ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = df)
  pred <- list(ci.lb = res$ci.lb, ci.ub = res$ci.ub)
  add_case(sprintf("%s/OR/PETO", name), file,
           list(measure = "OR", model = "fixed", method = "PETO", ci = "z", cc = 0.5,
                cc_to = "only0", drop_double_zero = TRUE, iterative = FALSE),
           res, pred, res$yi, res$vi, weights(res), list(k = res$k, k_yi = res$k.yi))
}

run_binary("bcg", "bcg.csv", bcg)
run_binary("bcg_k2", "bcg_k2.csv", bcg[1:2, ])
run_binary("nielweise2007", "nielweise2007.csv", niel)

# Zero-cell rules other than the default.
for (measure in c("RR", "OR", "RD")) {
  dat <- escalc(measure = measure, ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = niel,
                add = 0.5, to = "all")
  for (m in c("DL", "REML")) {
    res <- rma(yi, vi, data = dat, method = m, control = ctrl)
    add_case(sprintf("nielweise2007/%s/%s/z/cc-all", measure, m), "nielweise2007.csv",
             list(measure = measure, model = "random", method = "IV", tau2 = m, ci = "z",
                  cc = 0.5, cc_to = "all", drop_double_zero = FALSE, iterative = m == "REML"),
             res, predict(res), dat$yi, dat$vi, weights(res))
  }
}

# One study: tau^2 is 0 and the pooled effect is the study's own.
dat <- escalc(measure = "RR", ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = bcg[1, ])
res <- rma(yi, vi, data = dat, method = "REML", control = ctrl)
add_case("bcg_k1/RR/REML/z", "bcg_k1.csv",
         list(measure = "RR", model = "random", method = "IV", tau2 = "REML", ci = "z", cc = 0.5,
              cc_to = "only0", drop_double_zero = FALSE, iterative = TRUE),
         res, predict(res), dat$yi, dat$vi, weights(res))

for (measure in c("MD", "SMD")) {
  dat <- escalc(measure = measure, m1i = mean_t, sd1i = sd_t, n1i = n_t,
                m2i = mean_c, sd2i = sd_c, n2i = n_c, data = norm)
  run_uni("normand1999", "normand1999.csv", dat, measure)
}
# The MD variance from the pooled SD (vtype = "HO"), as Normand (1999) computes it.
dat <- escalc(measure = "MD", m1i = mean_t, sd1i = sd_t, n1i = n_t,
              m2i = mean_c, sd2i = sd_c, n2i = n_c, data = norm, vtype = "HO")
run_uni("normand1999_HO", "normand1999.csv", dat, "MD", vtype = "HO")

run_uni("hackshaw1998", "hackshaw1998.csv", hack, "GEN")

# Gibson et al. (2002), Cochrane review of asthma self-management education (metadat's
# dat.gibson2002, the 13 trials with means and SDs): a bimodal likelihood. The REML
# likelihood has maxima at tau^2 = 0 and near 9.68 (the global one); the ML likelihood at
# 0 (the global one) and near 0.69. The golden values are the global maxima: every local
# maximum is located on a dense profile grid and polished with optimize(), rma() is
# started at the highest (tau2.init; at tau^2 = 0, metafor's own start, which reports
# that its Fisher scoring may have stopped at a local maximum and sets tau^2 = 0) and must
# reproduce it, and the other maximum and its
# log-likelihood gap are recorded for the note repool writes.
gib <- dat.gibson2002[!is.na(dat.gibson2002$m1i), ]
gibson <- data.frame(study = gib$author, year = gib$year,
                     mean_t = gib$m1i, sd_t = gib$sd1i, n_t = gib$n1i,
                     mean_c = gib$m2i, sd_c = gib$sd2i, n_c = gib$n2i)
write_input(gibson, "gibson2002.csv")
gib_md <- escalc(measure = "MD", m1i = mean_t, sd1i = sd_t, n1i = n_t,
                 m2i = mean_c, sd2i = sd_c, n2i = n_c, data = gibson)
profile_loglik <- function(t, y, v, reml) {
  w <- 1 / (v + t); mu <- sum(w * y) / sum(w)
  -0.5 * (sum(log(v + t)) + (if (reml) log(sum(w)) else 0) + sum(w * (y - mu)^2))
}
local_maxima <- function(y, v, reml) {
  g <- c(0, 10^seq(-8, 5, length.out = 20000))
  l <- sapply(g, profile_loglik, y = y, v = v, reml = reml)
  up <- diff(l) > 0
  at <- which(c(!up[1], up[-length(up)] & !up[-1]))
  t(sapply(at, function(j) {
    if (j == 1) return(c(0, l[1]))
    o <- optimize(profile_loglik, c(g[j - 1], g[j + 1]), y = y, v = v, reml = reml,
                  maximum = TRUE, tol = 1e-14)
    c(o$maximum, o$objective)
  }))
}
gib_init <- list()
gib_other <- list()
for (m in c("REML", "ML")) {
  mx <- local_maxima(gib_md$yi, gib_md$vi, m == "REML")
  stopifnot(nrow(mx) == 2)
  best <- which.max(mx[, 2])
  # At a boundary maximum metafor's own start already ends at tau^2 = 0 exactly.
  if (mx[best, 1] > 0) gib_init[[m]] <- mx[best, 1]
  gib_other[[m]] <- list(tau2_other = mx[-best, 1], loglik_gap = mx[best, 2] - mx[-best, 2])
  ctl <- if (is.null(gib_init[[m]])) ctrl else c(ctrl, list(tau2.init = gib_init[[m]]))
  res <- suppressWarnings(rma(yi, vi, data = gib_md, method = m, control = ctl))
  stopifnot(abs(res$tau2 - mx[best, 1]) < 1e-6 * max(1, mx[best, 1]))
}
run_uni("gibson2002", "gibson2002.csv", gib_md, "MD", init = gib_init,
        extra_of = function(m) if (is.null(gib_other[[m]])) list() else gib_other[[m]])
run_uni("kacker2004", "kacker2004.csv", kacker, "GEN")

# A synthetic 10-study table (analysis a29418 of benches/make_batch.py, seed 20261123) on
# which metafor's default Fisher scoring does not converge; with step halving
# (stepadj = 0.5) it does, and repool's bracketed solver must reach the same REML value.
hard <- data.frame(study = paste0("s", 0:9),
                   events_t = c(2, 0, 1, 11, 0, 4, 2, 0, 3, 7),
                   n_t = c(62, 42, 187, 368, 50, 143, 102, 53, 203, 309),
                   events_c = c(14, 15, 7, 12, 13, 21, 21, 23, 9, 6),
                   n_c = c(204, 222, 153, 253, 193, 200, 311, 389, 215, 60))
write_input(hard, "reml_fisher_fails.csv")
dat <- escalc(measure = "RR", ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = hard)
stopifnot(inherits(try(rma(yi, vi, data = dat, method = "REML"), silent = TRUE), "try-error"))
res <- rma(yi, vi, data = dat, method = "REML", control = c(ctrl, list(stepadj = 0.5)))
add_case("reml_fisher_fails/RR/REML/z", "reml_fisher_fails.csv",
         list(measure = "RR", model = "random", method = "IV", tau2 = "REML", ci = "z", cc = 0.5,
              cc_to = "only0", drop_double_zero = FALSE, iterative = TRUE),
         res, predict(res), dat$yi, dat$vi, weights(res))

# Subgroups: each subgroup pooled on its own (its own tau^2), then the test for subgroup
# differences as the heterogeneity Q of a common-effect meta-analysis of the subgroup
# estimates (RevMan 5's "Test for subgroup differences").
bcg_sub <- cbind(bcg, subgroup = dat.bcg$alloc)
write_input(bcg_sub, "bcg_subgroups.csv")
subgroup_cases <- list()
for (m in c("DL", "REML")) {
  dat <- escalc(measure = "RR", ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = bcg_sub)
  groups <- unique(dat$subgroup)
  fits <- lapply(groups, function(g) rma(yi, vi, data = dat[dat$subgroup == g, ], method = m, control = ctrl))
  est <- sapply(fits, function(f) unname(f$beta[1]))
  se <- sapply(fits, function(f) f$se)
  between <- rma(yi = est, sei = se, method = "EE")
  subgroup_cases[[length(subgroup_cases) + 1]] <- list(
    id = sprintf("bcg_subgroups/RR/%s", m), data = "bcg_subgroups.csv", measure = "RR", tau2 = m,
    iterative = m == "REML", groups = groups, estimates = est, se = se,
    q = between$QE, df = length(groups) - 1, p_value = between$QEp, i2 = between$I2)
}

# Sensitivity (leave1out, cumul) and small-study effects (regtest with model = "lm",
# i.e. classic Egger; ranktest, Begg-Mazumdar).
other_cases <- list()
add_other <- function(name, file, dat, measure) {
  for (m in c("DL", "REML")) {
    res <- rma(yi, vi, data = dat, method = m, control = ctrl)
    l1 <- leave1out(res, control = ctrl)
    cu <- cumul(res, control = ctrl)
    pick <- function(x) list(estimate = as.numeric(x$estimate), se = as.numeric(x$se),
                             ci_low = as.numeric(x$ci.lb), ci_high = as.numeric(x$ci.ub),
                             tau2 = as.numeric(x$tau2), q = as.numeric(x$Q), i2 = as.numeric(x$I2))
    eg <- regtest(res, model = "lm")
    egr <- regtest(res)
    rk <- suppressWarnings(ranktest(res))
    inf <- influence(res)
    bj <- baujat(res, plot = FALSE)
    tf <- lapply(c("L0", "R0"), function(est) {
      t <- trimfill(res, estimator = est, control = ctrl)
      list(estimator = est, k0 = t$k0, side = t$side, estimate = unname(t$beta[1]), se = t$se,
           ci_low = t$ci.lb, ci_high = t$ci.ub, tau2 = t$tau2,
           filled_yi = if (t$k0 > 0) as.numeric(t$yi[t$fill]) else numeric(0))
    })
    other_cases[[length(other_cases) + 1]] <<- list(
      id = sprintf("%s/%s/%s", name, measure, m), data = file, measure = measure, tau2 = m,
      leave1out = pick(l1), cumul = pick(cu),
      egger = list(t = eg$zval, df = eg$dfs, p_value = eg$pval, limit = unname(eg$est)),
      egger_rma = list(z = egr$zval, p_value = egr$pval, limit = unname(egr$est)),
      influence = list(rstudent = inf$inf$rstudent, dffits = inf$inf$dffits, cook_d = inf$inf$cook.d,
                       cov_r = inf$inf$cov.r, tau2_del = inf$inf$tau2.del, qe_del = inf$inf$QE.del,
                       hat = inf$inf$hat, weight = inf$inf$weight, dfbetas = inf$dfbs$intrcpt,
                       influential = inf$is.infl, baujat_x = bj$x, baujat_y = bj$y),
      trimfill = tf,
      begg = list(tau = unname(rk$tau), p_value = rk$pval))
  }
}
add_other("bcg", "bcg.csv", escalc(measure = "RR", ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = bcg), "RR")
add_other("normand1999", "normand1999.csv", escalc(measure = "MD", m1i = mean_t, sd1i = sd_t, n1i = n_t, m2i = mean_c, sd2i = sd_c, n2i = n_c, data = norm), "MD")
add_other("hackshaw1998", "hackshaw1998.csv", hack, "GEN")
add_other("nielweise2007", "nielweise2007.csv", escalc(measure = "OR", ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = niel), "OR")

# Meta-regression on the BCG trials: latitude, latitude + year, allocation as a factor.
bcg_mods <- cbind(bcg, latitude = dat.bcg$ablat, allocation = dat.bcg$alloc)
write_input(bcg_mods, "bcg_moderators.csv")
regression_cases <- list()
datm <- escalc(measure = "RR", ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = bcg_mods)
for (mods in c("latitude", "latitude + year", "factor(allocation)")) {
  for (m in c("EE", "DL", "REML", "ML", "PM", "HE", "SJ", "EB", "HS")) {
    for (test in c("z", "knha")) {
      if (m == "EE" && test == "knha") next
      res <- rma(yi, vi, mods = as.formula(paste("~", mods)), data = datm, method = m, test = test, control = ctrl)
      regression_cases[[length(regression_cases) + 1]] <- list(
        id = sprintf("bcg/RR/%s/%s/%s", mods, m, test), mods = strsplit(mods, " \\+ ")[[1]], tau2 = m, test = test,
        iterative = m %in% c("REML", "ML", "PM", "EB"),
        names = rownames(res$beta), b = as.numeric(res$beta), se = as.numeric(res$se),
        stat = as.numeric(res$zval), pval = as.numeric(res$pval), ci_low = as.numeric(res$ci.lb), ci_high = as.numeric(res$ci.ub),
        tau2_value = res$tau2, qe = res$QE, qe_p = res$QEp, qm = res$QM, qm_p = res$QMp,
        i2 = res$I2, h2 = res$H2, r2 = if (is.null(res$R2)) NA else res$R2)
    }
  }
}

# Peters' test (regtest with predictor = "ninv": the log odds ratios regressed on 1/n, the
# total sample size of each study), common effect and random effects.
peters_cases <- list()
datp <- escalc(measure = "OR", ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = bcg)
for (m in c("EE", "DL", "REML")) {
  res <- rma(yi, vi, data = datp, method = m, control = ctrl)
  pt <- regtest(res, predictor = "ninv")
  peters_cases[[length(peters_cases) + 1]] <- list(
    id = sprintf("bcg/OR/%s", m), tau2 = m, iterative = m == "REML",
    yi = as.numeric(datp$yi), vi = as.numeric(datp$vi), ni = datp$n_t + datp$n_c,
    z = pt$zval, p_value = pt$pval)
}

golden <- list(
  generator = "tests/golden/make_golden.R",
  r_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor")),
  level = 95,
  cases = cases,
  subgroup_cases = subgroup_cases,
  other_cases = other_cases,
  regression_cases = regression_cases,
  peters_cases = peters_cases)
writeLines(toJSON(golden, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
           file.path(out_dir, "metafor.json"))
cat(sprintf("wrote %d cases\n", length(cases)))
