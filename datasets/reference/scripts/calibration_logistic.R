# Reference values for the calibration study's logistic regression
# (bench/calibration_study.hpp, logistic_fit): the outcome on the logit of the
# probability clipped to [1e-4, 1 - 1e-4], by stats::glm (binomial, logit
# link). data.csv holds the probabilities and outcomes of the study's cases
# (calibration_study_bench --drawn-targets, seeds 1 to 4, at the commit that
# added it). Run from the repository root:
#   Rscript datasets/reference/scripts/calibration_logistic.R
d <- read.csv("datasets/reference/calibration_logistic/data.csv")
clip <- 1e-4
x <- qlogis(pmin(pmax(d$p, clip), 1 - clip))
g <- glm(d$outcome ~ x, family = binomial(link = "logit"),
         control = glm.control(epsilon = 1e-14, maxit = 100))
co <- unname(coef(g))
brier <- mean((d$p - d$outcome)^2)
out <- sprintf(paste0('{\n  "source": "R %s, stats::glm(outcome ~ qlogis(pmin(pmax(p, 1e-4), 1 - 1e-4)), binomial)",\n',
                      '  "n": %d,\n  "intercept": %.15g,\n  "slope": %.15g,\n  "deviance": %.15g,\n',
                      '  "brier": %.15g\n}\n'),
               paste(R.version$major, R.version$minor, sep = "."), nrow(d), co[1], co[2], deviance(g), brier)
cat(out, file = "datasets/reference/calibration_logistic/expected.json")
cat(out)
