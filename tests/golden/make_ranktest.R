# Golden values for the Begg-Mazumdar rank test of `repool bias` on many studies:
# metafor ranktest() on generated effects and variances. metafor 3.8-1 calls
# cor.test(..., method = "kendall", exact = TRUE), whose exact p-value is NaN from k = 171 on
# (it divides by k!, which overflows); there the reference is ranktest(exact = FALSE), the
# normal approximation with the tie correction, which repool uses beyond 170 studies.
# Run from the repository root:  Rscript tests/golden/make_ranktest.R
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
set.seed(20240611)
make <- function(k, ties = FALSE) {
  yi <- rnorm(k, 0.1, 0.3) + 0.8 * runif(k) * (runif(k) < 0.3)
  vi <- runif(k, 0.005, 0.25)
  if (ties) vi <- round(vi, 2)
  list(yi = yi, vi = vi)
}
cases <- list(
  list(name = "k50", k = 50, ties = FALSE),
  list(name = "k170", k = 170, ties = FALSE),
  list(name = "k171", k = 171, ties = FALSE),
  list(name = "k2000", k = 2000, ties = FALSE),
  list(name = "k60 ties", k = 60, ties = TRUE)
)
out <- lapply(cases, function(cs) {
  d <- make(cs$k, cs$ties)
  exact <- !cs$ties && cs$k <= 170
  # metafor's default takes minutes beyond a few hundred studies: only where it is defined.
  default <- if (cs$k <= 171) suppressWarnings(ranktest(d$yi, d$vi)) else list(pval = NA)
  ref <- if (exact) default else suppressWarnings(ranktest(d$yi, d$vi, exact = FALSE))
  list(name = cs$name, yi = d$yi, vi = d$vi, exact = exact,
       tau = unname(ref$tau), p_value = ref$pval,
       metafor_default_p_value = if (is.finite(default$pval)) default$pval else NULL)
})
writeLines(toJSON(list(metafor = as.character(packageVersion("metafor")), cases = out),
                  digits = NA, auto_unbox = TRUE, pretty = TRUE, null = "null"),
           "tests/golden/ranktest.json")
