# Reference values for models/level_ar1 (a level or a linear trend with
# AR(1) noise, missing periods bridged), written to
# datasets/reference/level_ar1/{data.csv,expected.json}. At a fixed phi the
# coefficients are GLS, whatever the variance: stats::arima(order = c(1, 0,
# 0), fixed phi, method = "ML", NA for the missing periods: exact Kalman
# likelihood) gives them, its sigma2 (the ML one, RSS / n), and the
# forecasts by predict(). Run from the repository root:
#   Rscript datasets/reference/scripts/level_ar1_references.R
set.seed(20261202)
n <- 40
t <- 0:(n - 1)
u <- as.numeric(arima.sim(list(ar = 0.5), n = n, sd = 2))
y <- 50 + 0.3 * t + u
miss <- c(3, 11, 12, 25)  # 0-based periods not reported
y[miss + 1] <- NA
write.csv(data.frame(t = t, y = y), "datasets/reference/level_ar1/data.csv", row.names = FALSE, na = "",
          quote = FALSE)
phi <- 0.5
h <- 5
fit_trend <- arima(y, order = c(1, 0, 0), xreg = t, fixed = c(phi, NA, NA), transform.pars = FALSE,
                   method = "ML")
fit_level <- arima(y, order = c(1, 0, 0), fixed = c(phi, NA), transform.pars = FALSE, method = "ML")
p_trend <- predict(fit_trend, n.ahead = h, newxreg = n:(n + h - 1))$pred
p_level <- predict(fit_level, n.ahead = h)$pred
num <- function(v) paste(sprintf("%.15g", v), collapse = ", ")
out <- sprintf(paste0('{\n  "source": "R %s, stats::arima(order = c(1, 0, 0), fixed phi, method = \\"ML\\")",\n',
                      '  "phi": %.15g,\n  "n_observed": %d,\n',
                      '  "trend": {"slope": %.15g, "sigma2_ml": %.15g, "forecast": [%s]},\n',
                      '  "level": {"mean": %.15g, "sigma2_ml": %.15g, "forecast": [%s]}\n}\n'),
               paste(R.version$major, R.version$minor, sep = "."), phi, sum(!is.na(y)),
               coef(fit_trend)[["t"]], fit_trend$sigma2, num(p_trend),
               coef(fit_level)[["intercept"]], fit_level$sigma2, num(p_level))
cat(out, file = "datasets/reference/level_ar1/expected.json")
cat(out)
