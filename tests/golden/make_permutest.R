# Golden values for the exact permutation tests of `repool regress --permutations`:
# metafor permutest(exact = TRUE) on small subsets of real datasets, where the set of
# permutations is fixed (all distinct orderings of the design rows), so the p-values are exact.
# Run from the repository root:  Rscript tests/golden/make_permutest.R
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
data(dat.bcg, package = "metadat")
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)

cases <- list(
  list(name = "bcg1-6 ablat REML z", rows = 1:6, mods = "ablat", method = "REML", test = "z"),
  list(name = "bcg1-6 ablat DL knha", rows = 1:6, mods = "ablat", method = "DL", test = "knha"),
  list(name = "bcg1-7 ablat+year PM z", rows = 1:7, mods = "ablat + year", method = "PM", test = "z"),
  list(name = "bcg1-7 ablat FE z", rows = 1:7, mods = "ablat", method = "FE", test = "z"),
  list(name = "bcg1-9 alloc REML knha", rows = 1:9, mods = "factor(alloc)", method = "REML", test = "knha")
)
out <- lapply(cases, function(cs) {
  d <- bcg[cs$rows, ]
  fit <- rma(yi, vi, mods = as.formula(paste("~", cs$mods)), data = d, method = cs$method, test = cs$test)
  pt <- permutest(fit, exact = TRUE, progbar = FALSE)
  list(name = cs$name, yi = as.numeric(d$yi), vi = as.numeric(d$vi),
       ablat = d$ablat, year = d$year, alloc = as.character(d$alloc),
       mods = cs$mods, method = cs$method, test = cs$test,
       permutations = length(pt$QM.perm), failed = sum(is.na(pt$QM.perm)), qm_p = pt$QMp, coef_p = as.numeric(pt$pval),
       qm = fit$QM)
})
writeLines(toJSON(list(metafor = as.character(packageVersion("metafor")), cases = out),
                  digits = NA, auto_unbox = TRUE, pretty = TRUE),
           "tests/golden/permutest.json")
