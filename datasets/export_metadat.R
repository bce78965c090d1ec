#!/usr/bin/env Rscript
# Exports the classic datasets of R's metadat package into repool's input schema.
# Run from the repository root: Rscript datasets/export_metadat.R
# (Debian: r-base-core r-cran-metadat). Each dataset.toml says where every column comes from.
suppressPackageStartupMessages(library(metadat))
out <- function(df, dir) {
  dir.create(file.path("datasets", dir), showWarnings = FALSE)
  write.csv(df, file.path("datasets", dir, "data.csv"), row.names = FALSE)
}
b <- dat.bcg
bcg <- data.frame(study = b$author, year = b$year, events_t = b$tpos, n_t = b$tpos + b$tneg,
                  events_c = b$cpos, n_c = b$cpos + b$cneg, latitude = b$ablat, allocation = b$alloc)
out(bcg, "bcg")
out(data.frame(study = b$author, year = b$year, subgroup = paste(b$alloc, "allocation"),
               events_t = b$tpos, n_t = b$tpos + b$tneg, events_c = b$cpos, n_c = b$cpos + b$cneg),
    "bcg-allocation")
n <- dat.normand1999
out(data.frame(study = n$source, mean_t = n$m1i, sd_t = n$sd1i, n_t = n$n1i,
               mean_c = n$m2i, sd_c = n$sd2i, n_c = n$n2i), "normand1999")
w <- dat.nielweise2007
out(data.frame(study = w$author, year = w$year, events_t = w$ai, n_t = w$n1i,
               events_c = w$ci, n_c = w$n2i), "nielweise2007")
y <- dat.yusuf1985
y <- y[y$table == "6" & !is.na(y$ai), ]
out(data.frame(study = y$trial, events_t = y$ai, n_t = y$n1i, events_c = y$ci, n_c = y$n2i), "yusuf1985")
h <- dat.hackshaw1998
out(data.frame(study = h$author, year = h$year, yi = h$yi, vi = h$vi, country = h$country,
               design = h$design), "hackshaw1998")
# Networks (one row per arm).
hb <- dat.hasselblad1998
out(data.frame(study = paste0(hb$authors, " (", hb$study, ")"), treatment = hb$trt,
               events = hb$xi, n = hb$ni), "hasselblad1998")
sn <- dat.senn2013
out(data.frame(study = sn$study, treatment = sn$treatment, n = sn$ni, mean = sn$mi, sd = sn$sdi),
    "senn2013")
# Derived: the same trials as contrast rows (every pair of arms within a trial), mean difference
# and its standard error rounded to 2 and 4 decimals, the precision of R netmeta's Senn2013 data.
pairs <- do.call(rbind, lapply(split(sn, factor(sn$study, levels = unique(sn$study))), function(s) {
  ij <- combn(nrow(s), 2)
  data.frame(study = s$study[ij[1, ]], treat1 = s$treatment[ij[1, ]], treat2 = s$treatment[ij[2, ]],
             yi = round(s$mi[ij[1, ]] - s$mi[ij[2, ]], 2),
             se = round(sqrt(s$sdi[ij[1, ]]^2 / s$ni[ij[1, ]] + s$sdi[ij[2, ]]^2 / s$ni[ij[2, ]]), 4))
}))
out(pairs, "senn2013-contrasts")
