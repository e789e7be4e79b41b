# Reference values for models/ar1_regression (regression with AR(1) errors on
# a regular grid with missing periods), written to
# datasets/reference/ar1_regression_gaps/{data.csv,expected.json}.
# REML and ML: nlme::gls with corCAR1(form = ~ t) on integer t, which is an
# AR(1) process observed at the reported periods (correlation phi^|t - s|).
# ML is cross-checked with stats::arima(order = c(1, 0, 0), xreg) on the full
# grid with NA for the missing periods (exact Kalman-filter likelihood).
# Run from the repository root: Rscript datasets/reference/scripts/ar1_regression_references.R
suppressPackageStartupMessages(library(nlme))
set.seed(20261128)
n <- 60
t <- 0:(n - 1)
brk <- 30
step <- as.numeric(t >= brk)
ramp <- pmax(0, t - brk) * step
u <- as.numeric(arima.sim(list(ar = 0.5), n = n, sd = 1))
y <- 10 + 0.05 * t + 2.5 * step + 0.1 * ramp + u
miss <- c(4, 5, 17, 33, 34, 35, 48)  # 0-based periods not reported
y[miss + 1] <- NA
d <- data.frame(t = t, y = y, step = step, ramp = ramp)
write.csv(d, "datasets/reference/ar1_regression_gaps/data.csv", row.names = FALSE, na = "", quote = FALSE)
obs <- d[!is.na(d$y), ]
ctl <- glsControl(tolerance = 1e-12, msTol = 1e-14, msMaxIter = 500, maxIter = 500)
fit_one <- function(method) {
  g <- gls(y ~ t + step + ramp, data = obs, correlation = corCAR1(form = ~ t), method = method, control = ctl)
  phi <- as.numeric(coef(g$modelStruct$corStruct, unconstrained = FALSE))
  list(coef = unname(coef(g)), se = unname(sqrt(diag(vcov(g)))), phi = phi, sigma = g$sigma,
       loglik = as.numeric(logLik(g)))
}
reml <- fit_one("REML")
ml <- fit_one("ML")
a <- arima(y, order = c(1, 0, 0), xreg = cbind(t = t, step = step, ramp = ramp), method = "ML",
           optim.control = list(reltol = 1e-14, maxit = 5000))
fmt <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ", "), "]")
blk <- function(b) sprintf('{"coef": %s, "se": %s, "phi": %.17g, "sigma": %.17g, "loglik": %.17g}',
                           fmt(b$coef), fmt(b$se), b$phi, b$sigma, b$loglik)
json <- paste0('{\n  "case": "ar1_regression_gaps",\n',
  '  "script": "datasets/reference/scripts/ar1_regression_references.R",\n',
  '  "r_version": "', R.version.string, '",\n  "nlme": "', packageVersion("nlme"), '",\n',
  '  "model": "y ~ 1 + t + step + ramp, AR(1) errors, t = 0..59, break at 30, periods ', paste(miss, collapse = ", "), ' missing",\n',
  '  "names": ["intercept", "t", "step", "ramp"],\n',
  '  "reml": ', blk(reml), ',\n  "ml": ', blk(ml), ',\n',
  '  "arima_ml": {"coef": ', fmt(unname(coef(a)[c(2, 3, 4, 5)])), ', "phi": ', sprintf("%.17g", coef(a)[1]),
  ', "sigma2": ', sprintf("%.17g", a$sigma2), ', "loglik": ', sprintf("%.17g", a$loglik), '}\n}\n')
writeLines(json, "datasets/reference/ar1_regression_gaps/expected.json", sep = "")
