# Golden values for repool's network meta-analysis, from metafor's rma.mv (the
# multivariate contrast-based model with correlated multi-arm contrasts), which gives the same
# estimates as the graph-theoretical method of Rücker (2012) used by netmeta.
#
#   Rscript tests/golden/make_network.R      (needs metafor, metadat, jsonlite)
#
# Writes tests/golden/network.json and the input CSVs tests/golden/network_*.csv.
# - common effect: rma.mv(method = "FE") on each study's contrasts against its first arm,
#   V with the first arm's variance as covariance;
# - tau^2: the generalised DerSimonian-Laird estimator written out below with matrices
#   (Jackson, White & Riley 2012), 0.5 correlation of random effects within a multi-arm study;
# - random effects: rma.mv with that tau^2 fixed (struct = "CS", rho = 1/2);
# - Q within designs: the same model fitted to each design separately; design-by-treatment
#   interaction under random effects with tau^2 of that interaction model;
# - node-splitting by back-calculation; P-scores;
# - prediction intervals d +- t(df) sqrt(se^2 + tau^2) with df = df(Q), as netmeta from 3.0-2 on
#   (R/netmeta.R: ci(TE.random, seTE.predict, level.predict, df.Q)), and with df = df(Q) - 1, as
#   netmeta 0.9-6 to 2.9-0; both only when df(Q) >= 2.
# Networks: smoking cessation (Hasselblad 1998, log OR); diabetes (Senn 2013, MD, and SMD as
# meta::pairwise computes it, written out below since meta and netmeta are not installed here);
# stroke prevention (Dogliotti 2014, log OR), whose trial WASPO 2007 has no strokes in either
# arm: netmeta leaves it out by default (pairwise(allstudies = FALSE); metadat's help page of
# dat.dogliotti2014 shows it as the excluded study), and keeps it with 0.5 added to every cell
# with allstudies = TRUE.
suppressPackageStartupMessages({ library(metafor); library(metadat); library(jsonlite) })
here <- "tests/golden"

# Arm-level data -> per-arm effect contributions (analysis scale) and variances.
arms_or <- function(d) {
  # Study-wide continuity correction: 0.5 to every cell of every arm of a study with a zero.
  z <- ave(d$events == 0 | d$events == d$n, d$study, FUN = any)
  e <- d$events + 0.5 * z; n <- d$n + 1 * z
  data.frame(study = d$study, treatment = d$treatment,
             mu = log(e / (n - e)), s2 = 1 / e + 1 / (n - e))
}
arms_md <- function(d) data.frame(study = d$study, treatment = d$treatment,
                                  mu = d$mean, s2 = d$sd^2 / d$n)
# SMD as meta::pairwise (meta 8.4-0, R/pairwise.R; netmeta >= 2.0-0): Cohen's d, the SD of a
# multi-arm study pooled over all its arms (so d_ij = mu_i - mu_j with mu = mean / SD), and
# Var(d_ij) = 1/n_i + 1/n_j + d_ij^2 / (2 N), N the study's participants (Crippa & Orsini 2016,
# eq. 5). For two or three arms these pairwise variances are exactly those of independent arms
# with s2_i = 1/n_i + (sum over j != i of d_ij^2 - sum over pairs j < k without i of d_jk^2) /
# (4 N) (for two arms, s2_i = 1/n_i + d^2 / (4 N)).
arms_smd <- function(d) {
  do.call(rbind, lapply(split(d, factor(d$study, levels = unique(d$study))), function(b) {
    stopifnot(nrow(b) <= 3)
    sp <- sqrt(sum((b$n - 1) * b$sd^2) / sum(b$n - 1)); N <- sum(b$n)
    mu <- b$mean / sp; D2 <- outer(mu, mu, "-")^2
    s2 <- sapply(seq_len(nrow(b)), function(i) {
      others <- setdiff(seq_len(nrow(b)), i)
      opp <- if (length(others) == 2) D2[others[1], others[2]] else 0
      1 / b$n[i] + (sum(D2[i, others]) - opp) / (4 * N)
    })
    data.frame(study = b$study, treatment = b$treatment, mu = mu, s2 = s2)
  }))
}

nma <- function(a, small_good) {
  trts <- sort(unique(a$treatment)); nt <- length(trts); ref <- trts[1]
  studies <- unique(a$study)
  rows <- list(); Vb <- list(); P <- list(); design <- c(); sid <- c()
  for (s in studies) {
    b <- a[a$study == s, ]
    m <- nrow(b)
    y <- b$mu[-1] - b$mu[1]
    V <- matrix(b$s2[1], m - 1, m - 1) + diag(b$s2[-1], m - 1)
    X <- matrix(0, m - 1, nt, dimnames = list(NULL, trts))
    for (j in 2:m) { X[j - 1, b$treatment[j]] <- 1; X[j - 1, b$treatment[1]] <- -1 }
    rows[[s]] <- data.frame(study = s, y = y, X, check.names = FALSE)
    Vb[[s]] <- V
    P[[s]] <- matrix(0.5, m - 1, m - 1) + diag(0.5, m - 1)
    design <- c(design, rep(paste(sort(b$treatment), collapse = ":"), m - 1))
    sid <- c(sid, rep(s, m - 1))
  }
  dat <- do.call(rbind, rows)
  V <- bldiag(Vb); Pm <- bldiag(P)
  Xall <- as.matrix(dat[, trts])
  X <- Xall[, -1, drop = FALSE]
  # Within one design: the design's treatments, its first one as reference.
  xdesign <- function(sel) { Xd <- Xall[sel, , drop = FALSE]; Xd <- Xd[, colSums(abs(Xd)) > 0, drop = FALSE]; Xd[, -1, drop = FALSE] }
  y <- dat$y
  gls <- function(W, X) { XtWX <- t(X) %*% W %*% X; b <- solve(XtWX, t(X) %*% W %*% y)
    list(b = b, vb = solve(XtWX), r = y - X %*% b) }
  W <- solve(V)
  fe <- rma.mv(y, V, mods = X, intercept = FALSE, method = "FE")
  Q <- as.numeric(fe$QE)
  df <- nrow(dat) - ncol(X)
  g <- gls(W, X)
  tr <- sum(diag(W %*% Pm)) - sum(diag(g$vb %*% t(X) %*% W %*% Pm %*% W %*% X))
  tau2 <- max(0, (Q - df) / tr)
  inner <- factor(ave(seq_along(sid), sid, FUN = seq_along))
  dat$inner <- inner; dat$sid <- sid
  re <- rma.mv(y, V, mods = X, intercept = FALSE, random = ~ inner | sid, struct = "CS",
               rho = 0.5, tau2 = tau2, data = dat)
  full <- function(b, vb) {
    b <- c(0, as.numeric(b)); vb <- rbind(0, cbind(0, vb))
    d <- outer(b, b, "-"); v <- outer(diag(vb), diag(vb), "+") - 2 * vb
    list(d = d, se = sqrt(pmax(v, 0)))
  }
  fc <- full(coef(fe), vcov(fe)); fr <- full(coef(re), vcov(re))
  # Check the rma.mv random-effects fit against explicit GLS with V + tau2 P.
  gr <- gls(solve(V + tau2 * Pm), X)
  stopifnot(max(abs(gr$b - coef(re))) < 1e-8)
  # Q within designs.
  qw <- 0; dfw <- 0; trw <- 0; des <- unique(design)
  for (ds in des) {
    sel <- design == ds
    Xd <- xdesign(sel)
    Wd <- solve(V[sel, sel]); yd <- y[sel]
    XtWX <- t(Xd) %*% Wd %*% Xd; bd <- solve(XtWX, t(Xd) %*% Wd %*% yd); rd <- yd - Xd %*% bd
    qw <- qw + as.numeric(t(rd) %*% Wd %*% rd)
    dfd <- sum(sel) - ncol(Xd); dfw <- dfw + dfd
    if (dfd > 0) trw <- trw + sum(diag(Wd %*% Pm[sel, sel])) -
      sum(diag(solve(XtWX) %*% t(Xd) %*% Wd %*% Pm[sel, sel] %*% Wd %*% Xd))
  }
  tau2w <- if (dfw > 0) max(0, (qw - dfw) / trw) else 0
  qgen <- function(t2, sel_design = NULL) {
    if (is.null(sel_design)) { Wt <- solve(V + t2 * Pm); r <- gls(Wt, X)$r; return(as.numeric(t(r) %*% Wt %*% r)) }
    tot <- 0
    for (ds in des) {
      sel <- design == ds
      Xd <- xdesign(sel)
      Wd <- solve(V[sel, sel] + t2 * Pm[sel, sel]); yd <- y[sel]
      bd <- solve(t(Xd) %*% Wd %*% Xd, t(Xd) %*% Wd %*% yd); rd <- yd - Xd %*% bd
      tot <- tot + as.numeric(t(rd) %*% Wd %*% rd)
    }
    tot
  }
  qbr <- qgen(tau2w) - qgen(tau2w, TRUE)
  # Node-splitting (back-calculation) and P-scores.
  splits <- function(f, t2) {
    out <- list()
    for (i in 1:(nt - 1)) for (j in (i + 1):nt) {
      ys <- c(); vs <- c()
      for (s in studies) {
        b <- a[a$study == s, ]
        if (trts[i] %in% b$treatment && trts[j] %in% b$treatment) {
          bi <- b[b$treatment == trts[i], ]; bj <- b[b$treatment == trts[j], ]
          ys <- c(ys, bi$mu - bj$mu); vs <- c(vs, bi$s2 + bj$s2 + t2)
        }
      }
      if (length(ys) == 0) next
      w <- 1 / vs; dd <- sum(w * ys) / sum(w); vd <- 1 / sum(w)
      dn <- f$d[i, j]; vn <- f$se[i, j]^2
      rec <- list(t1 = trts[i], t2 = trts[j], k = length(ys), nma = dn, nma_var = vn,
                  direct = dd, direct_var = vd)
      if (1 / vn - 1 / vd > 1e-10 / vn) {
        vi <- 1 / (1 / vn - 1 / vd); di <- (dn / vn - dd / vd) * vi
        z <- (dd - di) / sqrt(vd + vi)
        rec <- c(rec, list(indirect = di, indirect_var = vi, diff = dd - di, z = z, p = 2 * pnorm(-abs(z))))
      }
      out[[length(out) + 1]] <- rec
    }
    out
  }
  pscore <- function(f) sapply(1:nt, function(i) mean(sapply((1:nt)[-i], function(j)
    pnorm((if (small_good) -1 else 1) * f$d[i, j] / f$se[i, j]))))
  list(treatments = trts, q = Q, df = df, tau2 = tau2,
       q_within = qw, df_within = dfw, q_between = Q - qw, df_between = df - dfw,
       tau2_within = tau2w, q_between_random = qbr,
       common = list(d = fc$d, se = fc$se, pscore = pscore(fc), splits = splits(fc, 0)),
       random = list(d = fr$d, se = fr$se, pscore = pscore(fr), splits = splits(fr, tau2),
                     # Prediction intervals: t(df(Q)) as netmeta >= 3.0-2, t(df(Q) - 1) as
                     # netmeta 0.9-6 to 2.9-0.
                     pi_low = fr$d - qt(0.975, df) * sqrt(fr$se^2 + tau2),
                     pi_high = fr$d + qt(0.975, df) * sqrt(fr$se^2 + tau2),
                     pi_low_q_minus_1 = fr$d - qt(0.975, df - 1) * sqrt(fr$se^2 + tau2),
                     pi_high_q_minus_1 = fr$d + qt(0.975, df - 1) * sqrt(fr$se^2 + tau2)))
}

h <- dat.hasselblad1998
h_arms <- data.frame(study = paste0(h$authors, " (", h$study, ")"), treatment = h$trt,
                     events = h$xi, n = h$ni)
write.csv(h_arms, file.path(here, "network_hasselblad1998.csv"), row.names = FALSE)
s <- dat.senn2013
s_arms <- data.frame(study = s$study, treatment = s$treatment, n = s$ni, mean = s$mi, sd = s$sdi)
write.csv(s_arms, file.path(here, "network_senn2013.csv"), row.names = FALSE)

g <- dat.dogliotti2014
g_arms <- data.frame(study = g$study, treatment = g$treatment, events = g$stroke, n = g$total)
write.csv(g_arms, file.path(here, "network_dogliotti2014.csv"), row.names = FALSE)
# netmeta's default drops the trials whose every pairwise comparison has no events in both arms
# (or only events, for the OR); here that is WASPO 2007 alone.
none <- ave(g_arms$events == 0, g_arms$study, FUN = all) |
  ave(g_arms$events == g_arms$n, g_arms$study, FUN = all)
stopifnot(identical(unique(g_arms$study[none]), "WASPO, 2007"))

out <- list(
  hasselblad1998 = c(list(measure = "OR", small_values_good = FALSE), nma(arms_or(h_arms), FALSE)),
  senn2013 = c(list(measure = "MD", small_values_good = TRUE), nma(arms_md(s_arms), TRUE)),
  senn2013_smd = c(list(measure = "SMD", small_values_good = TRUE), nma(arms_smd(s_arms), TRUE)),
  dogliotti2014 = c(list(measure = "OR", small_values_good = TRUE, dropped = "WASPO, 2007"),
                    nma(arms_or(g_arms[!none, ]), TRUE)),
  dogliotti2014_all_studies = c(list(measure = "OR", small_values_good = TRUE),
                                nma(arms_or(g_arms), TRUE))
)
out$metafor_version <- as.character(packageVersion("metafor"))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), file.path(here, "network.json"))
cat("wrote", file.path(here, "network.json"), "\n")
