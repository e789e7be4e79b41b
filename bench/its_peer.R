# Peer of bench/its_bench.cpp: the same ITS fits with lm + sandwich::NeweyWest
# on the sample CSV it writes. By default each fit yields what taeval's
# fit_its reports for every parameter: estimate, Newey-West SE, t, p-value
# and 95% interval (as lmtest::coeftest/coefci would, computed directly:
# t = b / se, p = 2 pt(-|t|, df.residual), b -+ qt(0.975, df) se).
# --se-only stops at the covariance (the earlier, lighter peer).
# The design is that of models::its_design: intercept, time, a level and a
# slope change for each of the B breaks (break j of B in a series of T
# points at row floor(j T / (B + 1)), as its_bench places them) and, with a
# season period P (4 or 12), dummies for seasons 1 .. P - 1 of t mod P.
# Usage: Rscript bench/its_peer.R SAMPLE.csv [--breaks B] [--season P] [--se-only]
suppressMessages(library(sandwich))
args <- commandArgs(trailingOnly = TRUE)
se_only <- "--se-only" %in% args
option <- function(name, default) {
  i <- match(name, args)
  if (is.na(i)) default else as.integer(args[i + 1])
}
n_breaks <- option("--breaks", 1L)
season <- option("--season", 0L)
d <- read.csv(args[1])
design <- function(t) {
  points <- length(t)
  cols <- list(rep(1, points), t)
  for (j in seq_len(n_breaks)) {
    b <- (j * points) %/% (n_breaks + 1)
    cols <- c(cols, list(as.numeric(t >= b), ifelse(t >= b, t - b, 0)))
  }
  for (s in seq_len(max(season - 1, 0))) cols <- c(cols, list(as.numeric(t %% season == s)))
  do.call(cbind, cols)
}
# The series as plain vectors before the clock starts, as taeval's driver
# and the statsmodels peer hold them.
series <- lapply(split(d, d$series), function(s) list(t = s$t, y = s$y))
fit_one <- function(s) {
  t <- s$t
  X <- design(t)
  m <- lm(s$y ~ X - 1)                          # X has the intercept; na.omit drops missing periods
  n <- sum(!is.na(s$y)); L <- floor(4 * (n / 100)^(2 / 9))
  # Rows are taken as consecutive (sandwich has no gap handling); the
  # checksum therefore sums only the complete series.
  V <- NeweyWest(m, lag = L, prewhite = FALSE, adjust = FALSE)
  se <- sqrt(diag(V))
  if (!se_only) {
    b <- coef(m); df <- df.residual(m)
    tstat <- b / se
    p <- 2 * pt(-abs(tstat), df)
    q <- qt(0.975, df)
    ci <- cbind(b - q * se, b + q * se)
    out <- cbind(b, se, tstat, p, ci)           # one row per parameter, as fit_its
    if (n == length(t)) return(out[3, c(2, 4, 6)])
  } else if (n == length(t)) {
    return(c(se[[3]], NA, NA))
  }
  c(0, 0, 0)
}
# CPU time (user + system) of this process, as the C++ driver measures.
cpu <- function() { p <- proc.time(); p[["user.self"]] + p[["sys.self"]] }
start <- proc.time()[["elapsed"]]; cpu0 <- cpu()
sums <- rowSums(vapply(series, fit_one, numeric(3)))
wall <- proc.time()[["elapsed"]] - start; secs <- cpu() - cpu0
what <- if (se_only) " (SE only)" else " with t, p-values and intervals"
cat(sprintf("R %s, sandwich %s%s: %d series: wall %.3f s, cpu %.3f s, %.1f series/s\n", getRversion(),
            packageVersion("sandwich"), what, length(series), wall, secs, length(series) / secs))
cat(sprintf("R checksum (sum of level SE, complete series): %.10g\n", sums[[1]]))
if (!se_only)
  cat(sprintf("R inference checksum (level p-values, 95%% upper bounds): %.10g %.10g\n", sums[[2]], sums[[3]]))
