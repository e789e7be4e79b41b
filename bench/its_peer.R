# Peer of bench/its_bench.cpp: the same ITS fits with lm + sandwich::NeweyWest
# on the sample CSV it writes. Usage: Rscript bench/its_peer.R SAMPLE.csv [BREAK]
suppressMessages(library(sandwich))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
brk <- if (length(args) > 1) as.integer(args[2]) else 24L
series <- split(d, d$series)
fit_one <- function(s) {
  t <- s$t
  level <- as.numeric(t >= brk); slope <- ifelse(t >= brk, t - brk, 0)
  m <- lm(s$y ~ t + level + slope)              # na.omit drops missing periods
  n <- sum(!is.na(s$y)); L <- floor(4 * (n / 100)^(2 / 9))
  # Rows are taken as consecutive (sandwich has no gap handling); the
  # checksum therefore sums only the complete series.
  V <- NeweyWest(m, lag = L, prewhite = FALSE, adjust = FALSE)
  if (n == length(t)) sqrt(V[3, 3]) else 0

}
# CPU time (user + system) of this process, as the C++ driver measures.
cpu <- function() { p <- proc.time(); p[["user.self"]] + p[["sys.self"]] }
start <- proc.time()[["elapsed"]]; cpu0 <- cpu()
se <- vapply(series, fit_one, 0)
wall <- proc.time()[["elapsed"]] - start; secs <- cpu() - cpu0
cat(sprintf("R %s, sandwich %s: %d series: wall %.3f s, cpu %.3f s, %.1f series/s\n", getRversion(),
            packageVersion("sandwich"), length(series), wall, secs, length(series) / secs))
cat(sprintf("R checksum (sum of level SE, complete series): %.10g\n", sum(se)))
