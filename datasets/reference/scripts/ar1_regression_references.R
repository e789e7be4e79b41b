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
       loglik = as.numeric(logLik(g)), fit = g)
}
reml <- fit_one("REML")
ml <- fit_one("ML")
# The detection test of the break: the joint Wald F test of step and ramp
# (level and slope change) on the REML fit, F(2, n - p).
det <- anova(reml$fit, L = rbind(c(0, 0, 1, 0), c(0, 0, 0, 1)))
# phi's uncertainty in the REML covariance (models::Ar1RegressionSpec::
# integrate_phi): on the 81-point grid of the phi search over [-0.99, 0.99],
# GLS at each fixed phi by dense matrices (R_ij = phi^|t_i - t_j|, which
# corCAR1 cannot take for phi <= 0) gives the REML log-likelihood (up to a
# constant), the coefficients and their covariance SSR / (n - p)
# (X' R^-1 X)^-1; checked against nlme at the positive points. Weights
# exp(loglik - max), points below 1e-6 dropped, every s-th point from the
# mode where more than 16 are left (s the least that leaves at most 16);
# V = sum w [cov + (b - b_reml)(b - b_reml)'] / sum w.
X <- cbind(1, obs$t, obs$step, obs$ramp)
gls_at <- function(p) {
  R <- p^abs(outer(obs$t, obs$t, "-"))
  Ri <- solve(R)
  A <- t(X) %*% Ri %*% X
  b <- solve(A, t(X) %*% Ri %*% obs$y)
  e <- obs$y - X %*% b
  ssr <- as.numeric(t(e) %*% Ri %*% e)
  np <- nrow(X) - ncol(X)
  ll <- -0.5 * as.numeric(determinant(R)$modulus) - 0.5 * as.numeric(determinant(A)$modulus) - np / 2 * log(ssr)
  list(ll = ll, b = as.numeric(b), v = ssr / np * solve(A))
}
grid <- -0.99 + (0:80) * (2 * 0.99 / 80)
at <- lapply(grid, gls_at)
for (p in c(0.2, 0.5, 0.8)) {  # the dense GLS is nlme's at fixed phi
  g <- gls(y ~ t + step + ramp, data = obs, method = "REML", correlation = corCAR1(value = p, form = ~ t, fixed = TRUE))
  a <- gls_at(p)
  stopifnot(max(abs(a$b - coef(g))) < 1e-10, max(abs(a$v - vcov(g))) < 1e-10)
}
ll <- sapply(at, function(a) a$ll)
top <- which.max(ll)
w <- exp(ll - ll[top])
w[w < 1e-6] <- 0
s <- max(1, ceiling(sum(w > 0) / 16))
use <- seq((top - 1) %% s + 1, length(grid), by = s)
use <- use[w[use] > 0]
vi <- Reduce(`+`, lapply(use, function(i) {
  d <- at[[i]]$b - reml$coef
  w[i] * (at[[i]]$v + d %*% t(d))
})) / sum(w[use])
# The detection test on that covariance: W / 2 on F(2, n - p).
L <- rbind(c(0, 0, 1, 0), c(0, 0, 0, 1))
lb <- L %*% reml$coef
det_i <- as.numeric(t(lb) %*% solve(L %*% vi %*% t(L), lb)) / 2
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
  '  "reml_integrated_phi": {"se": ', fmt(sqrt(diag(vi))), ', "points": ', length(use), ', "stride": ', s, '},\n',
  '  "reml_integrated_detection": {"test": "F", "statistic": ', sprintf("%.17g", det_i), ', "df": 2, "df_resid": ',
  nrow(obs) - 4, ', "p": ', sprintf("%.17g", pf(det_i, 2, nrow(obs) - 4, lower.tail = FALSE)), '},\n',
  '  "reml_detection": {"test": "F", "statistic": ', sprintf("%.17g", det[["F-value"]]), ', "df": ', det[["numDF"]],
  ', "df_resid": ', nrow(obs) - 4, ', "p": ', sprintf("%.17g", det[["p-value"]]), '},\n',
  '  "arima_ml": {"coef": ', fmt(unname(coef(a)[c(2, 3, 4, 5)])), ', "phi": ', sprintf("%.17g", coef(a)[1]),
  ', "sigma2": ', sprintf("%.17g", a$sigma2), ', "loglik": ', sprintf("%.17g", a$loglik), '}\n}\n')
writeLines(json, "datasets/reference/ar1_regression_gaps/expected.json", sep = "")
