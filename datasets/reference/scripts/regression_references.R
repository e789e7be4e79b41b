# Reference values for the regression family of models/ (OLS robust
# covariances, linear trend, interrupted time series, two-way fixed-effects
# DiD, Benjamini-Hochberg). Run from the repository root:
#   Rscript datasets/reference/scripts/regression_references.R
# It writes datasets/reference/<case>/{data.csv,expected.json} for the cases
# robust_airquality, robust_airquality_gaps, robust_mtcars, trend_lakehuron, its_nile, its_ukdriverdeaths,
# did_produc and fdr_bh1995. Data come from R's datasets package and plm.
# No jsonlite on the build machine: a small JSON writer is below.
suppressMessages({ library(sandwich); library(plm) })

num <- function(x) ifelse(is.na(x), "null", sprintf("%.17g", x))
to_json <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.list(x)) {
    keys <- names(x)
    body <- vapply(seq_along(x), function(i) paste0(inner, '"', keys[i], '": ', to_json(x[[i]], inner)), "")
    return(paste0("{\n", paste(body, collapse = ",\n"), "\n", indent, "}"))
  }
  if (is.matrix(x)) {
    rows <- apply(x, 1, function(r) paste0("[", paste(num(r), collapse = ", "), "]"))
    return(paste0("[", paste(rows, collapse = ", "), "]"))
  }
  if (is.character(x)) {
    s <- paste0('"', x, '"')
    return(if (length(x) == 1) s else paste0("[", paste(s, collapse = ", "), "]"))
  }
  if (is.logical(x) && length(x) == 1) return(if (x) "true" else "false")
  if (length(x) == 1 && is.null(attr(x, "vector"))) return(num(x))
  paste0("[", paste(num(x), collapse = ", "), "]")
}
vec <- function(x) { nm <- names(x); x <- as.numeric(x); names(x) <- nm; attr(x, "vector") <- TRUE; x }
provenance <- list(script = "datasets/reference/scripts/regression_references.R",
                   r_version = R.version.string,
                   sandwich = as.character(packageVersion("sandwich")),
                   plm = as.character(packageVersion("plm")))
write_case <- function(name, data, expected) {
  dir <- file.path("datasets/reference", name)
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  out <- as.data.frame(lapply(data, function(col) if (is.numeric(col)) ifelse(is.na(col), "", sprintf("%.17g", col)) else as.character(col)))
  names(out) <- names(data)
  write.csv(out, file.path(dir, "data.csv"), row.names = FALSE, quote = FALSE)
  writeLines(to_json(c(list(case = name), provenance, expected)), file.path(dir, "expected.json"))
  writeLines(c(paste0("# ", name), "",
               paste0("Model: ", expected$model, "."), "",
               paste0("Data: ", sources[[sub("_gaps$", "", name)]], "; data.csv is the data used, numbers at 17 significant digits."), "",
               paste0("Expected values (expected.json) computed once by ", provenance$script, " under ",
                      provenance$r_version, " with sandwich ", provenance$sandwich, " and plm ", provenance$plm,
                      ". Regenerate with `Rscript ", provenance$script, "` from the repository root.")),
             file.path(dir, "README.md"))
}
sources <- list(
  robust_airquality = "R datasets::airquality (daily air quality, New York, May-September 1973; Chambers et al. 1983)",
  robust_mtcars = "R datasets::mtcars (Motor Trend 1974; Henderson and Velleman 1981)",
  trend_lakehuron = "R datasets::LakeHuron (annual level of Lake Huron in feet, 1875-1972; Brockwell and Davis 1991)",
  its_nile = "R datasets::Nile (annual flow of the Nile at Aswan, 1871-1970; Cobb 1978)",
  its_ukdriverdeaths = "R datasets::UKDriverDeaths (monthly car drivers killed or seriously injured in Great Britain, 1969-1984; Harvey and Durbin 1986)",
  did_produc = "R package plm, data Produc (US states' production, 48 states x 1970-1986; Munnell 1990); the treatment (regions 1-3 from 1979) is assigned for the test, not historical",
  fdr_bh1995 = "the 15 p-values of Benjamini and Hochberg (1995), J. R. Statist. Soc. B 57, p. 295")
summ <- function(m, V, df) {
  b <- coef(m); se <- sqrt(diag(V))
  list(coef = vec(b), se = vec(se), p = vec(2 * pt(-abs(b / se), df)), cov = V)
}
auto_lag <- function(n) floor(4 * (n / 100)^(2 / 9))

# Newey-West (Bartlett) with time positions: the scores of missing periods
# are zero, so lags count periods, not rows (models/covariance.hpp).
nw_positions <- function(X, e, pos, L, adjust) {
  N <- max(pos)
  s <- matrix(0, N, ncol(X)); s[pos, ] <- X * e
  meat <- crossprod(s)
  for (l in seq_len(L)) {
    g <- crossprod(s[(l + 1):N, , drop = FALSE], s[1:(N - l), , drop = FALSE])
    meat <- meat + (1 - l / (L + 1)) * (g + t(g))
  }
  bread <- solve(crossprod(X))
  V <- bread %*% meat %*% bread
  if (adjust) V <- V * nrow(X) / (nrow(X) - ncol(X))
  dimnames(V) <- list(colnames(X), colnames(X)); V
}

## 1. Robust covariances on airquality (daily, New York, May-Sep 1973) -----
# Longley is too ill-conditioned (kappa 2e7) for a 1e-8 comparison of two
# sound implementations; airquality's design has kappa 2.5e3.
cols <- c("Ozone", "Solar.R", "Wind", "Temp")
d <- airquality[complete.cases(airquality[, cols]), cols]; rownames(d) <- NULL
m <- lm(Ozone ~ Solar.R + Wind + Temp, data = d)
n <- nrow(d); k <- length(coef(m)); L <- auto_lag(n)
write_case("robust_airquality", d, list(
  model = "lm(Ozone ~ Solar.R + Wind + Temp) on the 111 complete rows of airquality, taken as consecutive",
  names = c("intercept", "Solar.R", "Wind", "Temp"),
  classical = summ(m, vcov(m), n - k),
  hc0 = summ(m, vcovHC(m, type = "HC0"), n - k),
  hc1 = summ(m, vcovHC(m, type = "HC1"), n - k),
  nw_lag2 = summ(m, NeweyWest(m, lag = 2, prewhite = FALSE, adjust = FALSE), n - k),
  nw_lag2_adjust = summ(m, NeweyWest(m, lag = 2, prewhite = FALSE, adjust = TRUE), n - k),
  nw_auto_lag = L,
  nw_auto = summ(m, NeweyWest(m, lag = L, prewhite = FALSE, adjust = FALSE), n - k),
  r2 = summary(m)$r.squared, adj_r2 = summary(m)$adj.r.squared, resid_sd = summary(m)$sigma,
  loglik = as.numeric(logLik(m)), f = unname(summary(m)$fstatistic[1])))

# All 153 days with their natural gaps (42 rows miss Ozone or Solar.R):
# Newey-West lag 2 with zero scores in the missing days.
dg <- airquality[, cols]
mg <- lm(Ozone ~ Solar.R + Wind + Temp, data = dg)
Xg <- model.matrix(mg); pos <- as.integer(rownames(Xg))
Vg <- nw_positions(Xg, residuals(mg), pos, 2, FALSE)
write_case("robust_airquality_gaps", dg, list(
  model = "lm(Ozone ~ Solar.R + Wind + Temp) on all 153 days of airquality; NW lag 2 with lags in days (zero scores on missing days)",
  nw_lag2 = summ(mg, Vg, nrow(Xg) - ncol(Xg))))

## 2. Cluster-robust CR1 on mtcars, clusters = carb (6 groups) --------------
m <- lm(mpg ~ wt + hp, data = mtcars)
G <- length(unique(mtcars$carb))
write_case("robust_mtcars", mtcars[, c("mpg", "wt", "hp", "carb")], list(
  model = "lm(mpg ~ wt + hp, mtcars); vcovCL(cluster = ~carb, type = 'HC1'): G/(G-1) (N-1)/(N-K); t on G-1 df",
  names = c("intercept", "wt", "hp"), n_clusters = G,
  cr1 = summ(m, vcovCL(m, cluster = ~carb, type = "HC1", cadjust = TRUE), G - 1),
  hc1 = summ(m, vcovHC(m, type = "HC1"), nrow(mtcars) - 3)))

## 3. Linear trend with prediction on LakeHuron (1875-1972) -----------------
y <- as.numeric(LakeHuron); t <- seq_along(y) - 1
m <- lm(y ~ t); t0 <- 100
pi <- predict(m, newdata = data.frame(t = t0), interval = "prediction", level = 0.95)
Vnw <- NeweyWest(m, lag = auto_lag(length(y)), prewhite = FALSE, adjust = FALSE)
x0 <- c(1, t0); s2 <- summary(m)$sigma^2; q <- qt(0.975, length(y) - 2)
se_nw <- sqrt(drop(t(x0) %*% Vnw %*% x0) + s2)
write_case("trend_lakehuron", data.frame(level = y), list(
  model = "lm(level ~ t), t = 0..97; predict(interval = 'prediction') at t = 100",
  classical = c(summ(m, vcov(m), length(y) - 2),
                list(prediction = list(t = t0, estimate = pi[1], pi_low = pi[2], pi_high = pi[3]))),
  nw_lag = auto_lag(length(y)),
  newey_west = c(summ(m, Vnw, length(y) - 2),
                 list(prediction = list(t = t0, estimate = pi[1], pi_low = pi[1] - q * se_nw, pi_high = pi[1] + q * se_nw),
                      prediction_note = "interval: estimate +- t(0.975, n-2) sqrt(x0' V_NW x0 + sigma^2)"))))

## 4. Interrupted time series ------------------------------------------------
its_design <- function(n, breaks, season = 0) {
  t <- 0:(n - 1)
  X <- cbind(intercept = 1, time = t)
  for (j in seq_along(breaks)) {
    b <- breaks[j]
    X <- cbind(X, (t >= b) * 1, (t >= b) * (t - b))
    colnames(X)[ncol(X) - 1:0] <- c(paste0("level_change_", j), paste0("slope_change_", j))
  }
  if (season > 0) for (s in 1:(season - 1)) {
    X <- cbind(X, (t %% season == s) * 1); colnames(X)[ncol(X)] <- paste0("season_", s)
  }
  X
}
# Prais-Winsten feasible GLS, iterated; the transform is gap-aware: an
# observation k periods after the previous observed one is
# sqrt((1-phi^2)/(1-phi^(2k))) (y_t - phi^k y_{t-k}); the first observed is
# scaled by sqrt(1 - phi^2). phi = sum e_t e_{t-1} / sum e_{t-1}^2 over
# adjacent observed pairs of the untransformed residuals.
prais_winsten <- function(y, X, tol = 1e-10, max_iter = 200) {
  obs <- which(!is.na(y))
  b <- qr.coef(qr(X[obs, , drop = FALSE]), y[obs])
  est_phi <- function(b) {
    e <- rep(NA, length(y)); e[obs] <- y[obs] - X[obs, , drop = FALSE] %*% b
    i <- which(!is.na(e[-1]) & !is.na(e[-length(e)]))
    sum(e[i + 1] * e[i]) / sum(e[i]^2)
  }
  transform <- function(phi) {
    ys <- numeric(length(obs)); Xs <- matrix(0, length(obs), ncol(X))
    ys[1] <- sqrt(1 - phi^2) * y[obs[1]]; Xs[1, ] <- sqrt(1 - phi^2) * X[obs[1], ]
    for (i in seq_along(obs)[-1]) {
      k <- obs[i] - obs[i - 1]; a <- phi^k; s <- sqrt((1 - phi^2) / (1 - phi^(2 * k)))
      ys[i] <- s * (y[obs[i]] - a * y[obs[i - 1]]); Xs[i, ] <- s * (X[obs[i], ] - a * X[obs[i - 1], ])
    }
    list(y = ys, X = Xs)
  }
  phi <- est_phi(b); it <- 0
  repeat {
    it <- it + 1
    tr <- transform(phi); b <- qr.coef(qr(tr$X), tr$y)
    phi_new <- est_phi(b)
    if (abs(phi_new - phi) < tol || it >= max_iter) { phi <- phi_new; break }
    phi <- phi_new
  }
  tr <- transform(phi); fit <- lm.fit(tr$X, tr$y)
  df <- length(obs) - ncol(X); s2 <- sum(fit$residuals^2) / df
  V <- s2 * chol2inv(qr.R(qr(tr$X))); dimnames(V) <- list(colnames(X), colnames(X))
  b <- fit$coefficients; se <- sqrt(diag(V)); tt <- b / se
  list(coef = vec(b), se = vec(se), p = vec(2 * pt(-abs(tt), df)), cov = V, phi = phi, iterations = it)
}
its_fits <- function(y, X, L) {
  obs <- which(!is.na(y)); Xo <- X[obs, , drop = FALSE]
  m <- lm(y[obs] ~ Xo - 1); df <- length(obs) - ncol(X)
  nw <- nw_positions(Xo, residuals(m), obs, L, FALSE)
  nwa <- nw_positions(Xo, residuals(m), obs, L, TRUE)
  cf <- X; cf[, grepl("^(level|slope)_change", colnames(X))] <- 0
  list(names = colnames(X), nw_lag = L,
       ols = c(summ(m, vcov(m), df), list(r2 = 1 - sum(residuals(m)^2) / sum((y[obs] - mean(y[obs]))^2),
                                           resid_sd = summary(m)$sigma,
                                           loglik = as.numeric(logLik(m)))),
       nw = summ(m, nw, df), nw_adjust = summ(m, nwa, df),
       counterfactual = vec(cf %*% coef(m)),
       ar1 = prais_winsten(y, X))
}
# Nile at Aswan, 1871-1970; the dam (1898) shifts the level from 1899 (row 28).
y <- as.numeric(Nile); n <- length(y); X <- its_design(n, 28)
nile <- its_fits(y, X, auto_lag(n))
# The same with a second break at row 60 and gaps in rows 10, 11 and 50 (0-based).
yg <- y; yg[c(11, 12, 51)] <- NA
Xg <- its_design(n, c(28, 60))
nile_gaps <- its_fits(yg, Xg, 3)
write_case("its_nile", data.frame(flow = y, flow_gaps = yg), list(
  model = "segmented regression on t = 0..99; Nile flow with break at row 28; flow_gaps: breaks 28 and 60, rows 10, 11, 50 missing",
  ar1_note = "ar1: iterated Prais-Winsten FGLS with the gap-aware transform, written in this script (function prais_winsten; no R package for it is installed), tolerance 1e-10 on phi",
  breaks = vec(28), single = nile, breaks_gaps = vec(c(28, 60)), gaps = nile_gaps))

# UK driver deaths 1969-1984 (monthly, 192); seat belt law from Feb 1983
# (row 169); log outcome, monthly dummies, a second break at row 96.
y <- as.numeric(UKDriverDeaths); n <- length(y); X <- its_design(n, c(96, 169), 12)
uk <- its_fits(log(y), X, 6)
write_case("its_ukdriverdeaths", data.frame(deaths = y), list(
  model = "log(deaths) on t = 0..191, breaks at rows 96 and 169, 11 monthly dummies (reference t %% 12 == 0); NW lag 6",
  ar1_note = "ar1: iterated Prais-Winsten FGLS written in this script (function prais_winsten)",
  breaks = vec(c(96, 169)), fit = uk))

## 5. Two-way fixed-effects DiD on plm::Produc --------------------------------
data(Produc, package = "plm")
p <- Produc
p$y <- log(p$gsp)
p$treated <- as.integer(p$region %in% c("1", "2", "3") & p$year >= 1979)
p$unit <- as.integer(p$state)
G <- length(unique(p$unit))
m <- lm(y ~ treated + factor(unit) + factor(year), data = p)
V <- vcovCL(m, cluster = ~unit, type = "HC1", cadjust = TRUE)
att <- summ(m, V, G - 1)
# Event study: leads and lags of the 1979 adoption for treated states,
# reference period -1, never-treated states all zero.
ever <- p$region %in% c("1", "2", "3")
rel <- ifelse(ever, p$year - 1979, NA)
levels_rel <- setdiff(sort(unique(rel[!is.na(rel)])), -1)
E <- sapply(levels_rel, function(r) as.integer(!is.na(rel) & rel == r))
colnames(E) <- paste0("event_", levels_rel)
pe <- cbind(p, E)
fe <- as.formula(paste("y ~", paste0("`", colnames(E), "`", collapse = " + "), "+ factor(unit) + factor(year)"))
me <- lm(fe, data = pe)
Ve <- vcovCL(me, cluster = ~unit, type = "HC1", cadjust = TRUE)
ev <- summ(me, Ve, G - 1)
# lm quotes only the non-syntactic names ("`event_-9`", but "event_0").
unquote <- function(x) { names(x) <- gsub("`", "", names(x)); x }
sel <- function(s) list(names = colnames(E), coef = vec(unquote(s$coef)[colnames(E)]),
                        se = vec(unquote(s$se)[colnames(E)]), p = vec(unquote(s$p)[colnames(E)]))
# Unbalanced: drop (NA) 20 rows spread over the panel.
pu <- p; pu$y[seq(5, nrow(pu), by = 41)] <- NA
mu <- lm(y ~ treated + factor(unit) + factor(year), data = pu)
Vu <- vcovCL(mu, cluster = ~unit, type = "HC1", cadjust = TRUE)
att_u <- summ(mu, Vu, G - 1)
write_case("did_produc", data.frame(unit = p$unit, year = p$year, gsp = p$gsp, treated = p$treated,
                                    gsp_unbalanced = ifelse(is.na(pu$y), NA, p$gsp)), list(
  model = "lm(log(gsp) ~ treated + factor(unit) + factor(year)); treated = region 1-3 and year >= 1979; vcovCL(cluster = ~unit, type = 'HC1'): CR1 with K counting the dummies; t on G-1 df",
  n_clusters = G,
  att = list(coef = att$coef["treated"], se = att$se["treated"], p = att$p["treated"]),
  event_study = sel(ev),
  att_unbalanced = list(coef = att_u$coef["treated"], se = att_u$se["treated"], p = att_u$p["treated"], n = sum(!is.na(pu$y)))))

## 6. Benjamini-Hochberg on the 15 p-values of Benjamini & Hochberg (1995) ----
pv <- c(0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000)
pv_na <- pv; pv_na[c(3, 12)] <- NA
write_case("fdr_bh1995", data.frame(p = pv, p_missing = pv_na), list(
  model = "p.adjust(p, method = 'BH'); p_missing: NA entries left out of m (R's default)",
  q = vec(p.adjust(pv, "BH")), q_missing = vec(p.adjust(pv_na, "BH"))))
cat("done\n")
