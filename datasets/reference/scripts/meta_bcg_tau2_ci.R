# Q-profile confidence interval for tau^2 (Viechtbauer 2007) on the BCG data,
# computed with metafor's confint() at tight tolerances; writes
# datasets/reference/meta_bcg/tau2_ci.json. Run from the repository root:
#   Rscript datasets/reference/scripts/meta_bcg_tau2_ci.R
library(metafor)
dat <- read.csv("datasets/reference/meta_bcg/yi_vi.csv")
out <- list(software = list(R = R.version.string, metafor = as.character(packageVersion("metafor"))))
for (m in c("DL", "REML", "PM")) {
  fit <- rma(yi, vi, data = dat, method = m, control = list(threshold = 1e-13, tol = 1e-15))
  ci <- confint(fit, control = list(tol = 1e-13))
  out[[m]] <- list(tau2 = fit$tau2, tau2_ci_low = ci$random["tau^2", "ci.lb"],
                   tau2_ci_high = ci$random["tau^2", "ci.ub"],
                   pi_low = predict(fit)$pi.lb, pi_high = predict(fit)$pi.ub)
}
fit <- rma(yi, vi, data = dat, method = "REML", test = "knha", control = list(threshold = 1e-13))
out[["REML_knha"]] <- list(pi_low = predict(fit)$pi.lb, pi_high = predict(fit)$pi.ub)
# jsonlite is not in Debian's base R: write the flat JSON by hand.
num <- function(x) sprintf("%.17g", x)
obj <- function(l) paste0("{", paste(sprintf("\"%s\": %s", names(l),
  vapply(l, function(v) if (is.list(v)) obj(v) else if (is.character(v)) sprintf("\"%s\"", v) else num(v), "")),
  collapse = ", "), "}")
writeLines(obj(out), "datasets/reference/meta_bcg/tau2_ci.json")
