# Reference tables for tests/unit/test_stats_ref.c, made with R's own
# functions.  Regenerate with
#
#	Rscript tests/data/stats/make_mwu_reference.R tests/data/stats
#
# and commit the .tsv files; the tests read them at run time and never
# run R.  Values are written with %.17g so every double round-trips.
#
# Tables:
#   mwu_reference.tsv    wilcox.test() p-values.  method "exact": R's
#                        exact test (no ties); "normal": R's normal
#                        approximation with tie and continuity
#                        correction; "exact_ties": the exact permutation
#                        distribution of the mid-rank sum, which R's
#                        wilcox.test() does not offer, computed here by
#                        enumerating every split with combn().
#   hl_reference.tsv     wilcox.test(conf.int=TRUE) Hodges-Lehmann
#                        estimate and interval, exact case; kind "raw"
#                        is wilcox.test(x, y), kind "log" is
#                        wilcox.test(log(head), log(base)).
#   padj_reference.tsv   p.adjust(p, "holm") and p.adjust(p, "BH").
#   dist_reference.tsv   pnorm, qnorm, pt, qt.

args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "."
set.seed(20261123)

fmt <- function(v) paste(ifelse(is.na(v), "NA", sprintf("%.17g", v)), collapse = ",")

# ---------------------------------------------------------------- MWU

mwu_rows <- list()
add_mwu <- function(name, x, y, method) {
	stopifnot(method %in% c("exact", "normal", "exact_ties"))
	if (method == "exact_ties") {
		r <- rank(c(x, y))
		nx <- length(x)
		w <- sum(r[seq_len(nx)]) - nx * (nx + 1) / 2
		sums <- combn(length(r), nx, FUN = function(i) sum(r[i]))
		ws <- sums - nx * (nx + 1) / 2
		eps <- 1e-7
		pl <- mean(ws <= w + eps)
		pg <- mean(ws >= w - eps)
		p2 <- min(1, 2 * min(pl, pg))
	} else {
		ex <- method == "exact"
		t2 <- wilcox.test(x, y, exact = ex, correct = TRUE)
		tl <- wilcox.test(x, y, exact = ex, correct = TRUE, alternative = "less")
		tg <- wilcox.test(x, y, exact = ex, correct = TRUE, alternative = "greater")
		used_exact <- grepl("exact", t2$method)
		if (used_exact != ex)
			stop(sprintf("case %s: R used '%s'", name, t2$method))
		w <- unname(t2$statistic)
		p2 <- t2$p.value
		pl <- tl$p.value
		pg <- tg$p.value
	}
	mwu_rows[[length(mwu_rows) + 1]] <<- data.frame(
		case = name, method = method, x = fmt(x), y = fmt(y),
		w = sprintf("%.17g", w), p_two = sprintf("%.17g", p2),
		p_less = sprintf("%.17g", pl), p_greater = sprintf("%.17g", pg),
		stringsAsFactors = FALSE)
}

distinct <- function(v) length(unique(v)) == length(v)
# Draw until the pooled sample has no ties (exact tests need that).
untied <- function(gx, gy) {
	repeat {
		x <- gx(); y <- gy()
		if (distinct(c(x, y))) return(list(x = x, y = y))
	}
}

# Exact, no ties: small to n = 49 per side, shifts, heavy tails.
sizes <- list(c(1, 1), c(1, 3), c(2, 2), c(2, 5), c(3, 3), c(3, 6), c(4, 4),
	      c(5, 5), c(5, 8), c(6, 6), c(7, 9), c(8, 8), c(10, 10), c(10, 10),
	      c(10, 12), c(12, 10), c(15, 15), c(20, 20), c(20, 20), c(25, 30),
	      c(33, 17), c(40, 45), c(49, 49))
shift <- c(0, 1, 0.5, 0, 2, 0, 1, 0.3, 0, 1.5, 0, 0.8, 0, 1, 0.5, -0.5, 0.3,
	   0, 0.4, 0.2, -0.3, 0.1, 0.05)
for (i in seq_along(sizes)) {
	nx <- sizes[[i]][1]; ny <- sizes[[i]][2]
	s <- untied(function() round(rnorm(nx, 100 + shift[i], 1), 4),
		    function() round(rnorm(ny, 100, 1), 4))
	add_mwu(sprintf("exact_%dx%d_%d", nx, ny, i), s$x, s$y, "exact")
}
s <- untied(function() rcauchy(12), function() rcauchy(15) + 1)
add_mwu("exact_cauchy_12x15", s$x, s$y, "exact")
s <- untied(function() exp(rnorm(10, 0, 3)), function() exp(rnorm(10, 1, 3)))
add_mwu("exact_lognormal_heavy_10x10", s$x, s$y, "exact")
add_mwu("exact_separated_10x10", 1:10 + 0.5, 11:20, "exact")
add_mwu("exact_separated_49x49", (1:49) * 2, (1:49) * 2 + 200, "exact")
add_mwu("exact_interleaved_8x8", (1:8) * 2, (1:8) * 2 + 1, "exact")
add_mwu("exact_scaled_1e9", c(1.1e9, 1.3e9, 0.9e9, 1.25e9, 1.05e9),
	c(1.4e9, 1.35e9, 1.5e9, 1.45e9, 1.6e9, 1.33e9), "exact")

# Normal approximation, no ties: large samples.
for (sz in list(c(50, 50), c(60, 80), c(100, 100), c(200, 150), c(75, 300))) {
	s <- untied(function() rnorm(sz[1], 0.2), function() rnorm(sz[2]))
	add_mwu(sprintf("normal_%dx%d", sz[1], sz[2]), s$x, s$y, "normal")
}
add_mwu("normal_separated_100x100", (1:100) + 0.5, (1:100) + 1000, "normal")
add_mwu("normal_cauchy_80x90", rcauchy(80), rcauchy(90, 0.5), "normal")

# Normal approximation with ties (R's choice whenever there are ties).
add_mwu("normal_ties_10x10", round(rnorm(10, 10.3), 0), round(rnorm(10, 10), 0), "normal")
add_mwu("normal_ties_20x20", round(rnorm(20, 5.5, 2)), round(rnorm(20, 5, 2)), "normal")
add_mwu("normal_ties_30x25", round(runif(30, 0, 6)), round(runif(25, 1, 7)), "normal")
add_mwu("normal_ties_100x100", round(rnorm(100, 50.4, 3)), round(rnorm(100, 50, 3)), "normal")
add_mwu("normal_ties_small_3x4", c(1, 2, 2), c(2, 3, 3, 4), "normal")
add_mwu("normal_one_constant_x", rep(5, 10), c(4, 5, 6, 7, 5.5, 6.5, 4.5, 8, 9, 3), "normal")
add_mwu("normal_one_constant_y", c(10, 12, 11, 13, 12.5, 9, 14, 15), rep(11, 8), "normal")
add_mwu("normal_both_constant_differ_5x5", rep(5, 5), rep(6, 5), "normal")
add_mwu("normal_both_constant_differ_10x12", rep(1e6, 10), rep(1.0001e6, 12), "normal")
add_mwu("normal_two_values_12x12", c(rep(100, 9), rep(101, 3)), c(rep(100, 3), rep(101, 9)), "normal")
add_mwu("normal_counter_like_20x20", 1e9 + round(rnorm(20, 0, 2)), 1e9 + 3 + round(rnorm(20, 0, 2)), "normal")
add_mwu("normal_heavy_ties_60x60", sample(1:4, 60, TRUE), sample(2:5, 60, TRUE), "normal")

# Exact with ties: the permutation distribution of the mid-rank sum.
add_mwu("exact_ties_3x4", c(1, 2, 2), c(2, 3, 3, 4), "exact_ties")
add_mwu("exact_ties_5x5", round(rnorm(5, 10.5)), round(rnorm(5, 10)), "exact_ties")
add_mwu("exact_ties_6x8", round(rnorm(6, 3, 1.5)), round(rnorm(8, 4, 1.5)), "exact_ties")
add_mwu("exact_ties_8x8", c(rep(100, 5), rep(101, 3)), c(rep(100, 2), rep(101, 5), 102), "exact_ties")
add_mwu("exact_ties_10x10", round(rnorm(10, 20, 2)), round(rnorm(10, 21, 2)), "exact_ties")
add_mwu("exact_ties_one_constant_7x6", rep(3, 7), c(1, 3, 5, 7, 3, 9), "exact_ties")
add_mwu("exact_ties_both_constant_5x5", rep(5, 5), rep(6, 5), "exact_ties")
add_mwu("exact_ties_all_equal_4x4", rep(2, 4), rep(2, 4), "exact_ties")
add_mwu("exact_ties_9x11", sample(1:5, 9, TRUE), sample(2:6, 11, TRUE), "exact_ties")

mwu <- do.call(rbind, mwu_rows)
write.table(mwu, file.path(outdir, "mwu_reference.tsv"), sep = "\t",
	    quote = FALSE, row.names = FALSE)

# ---------------------------------------------------------------- HL

hl_rows <- list()
add_hl <- function(name, kind, x, y, conf = 0.95) {
	if (kind == "log") {
		t <- wilcox.test(log(x), log(y), conf.int = TRUE, conf.level = conf, exact = TRUE)
	} else {
		t <- wilcox.test(x, y, conf.int = TRUE, conf.level = conf, exact = TRUE)
	}
	if (!grepl("exact", t$method)) stop(sprintf("hl %s: not exact", name))
	hl_rows[[length(hl_rows) + 1]] <<- data.frame(
		case = name, kind = kind, conf = sprintf("%.17g", conf),
		x = fmt(x), y = fmt(y), est = sprintf("%.17g", unname(t$estimate)),
		lo = sprintf("%.17g", t$conf.int[1]), hi = sprintf("%.17g", t$conf.int[2]),
		stringsAsFactors = FALSE)
}
for (sz in list(c(3, 3), c(5, 5), c(6, 7), c(10, 10), c(10, 10), c(20, 20),
		c(20, 15), c(30, 30), c(49, 40))) {
	# head = x (slower by ~3 %), base = y; lognormal noise of 1 %.
	s <- untied(function() round(1000 * exp(rnorm(sz[1], 0.03, 0.01)), 3),
		    function() round(1000 * exp(rnorm(sz[2], 0, 0.01)), 3))
	add_hl(sprintf("log_%dx%d", sz[1], sz[2]), "log", s$x, s$y)
}
s <- untied(function() round(exp(rnorm(10, 0, 0.5)), 5), function() round(exp(rnorm(10, 0, 0.5)), 5))
add_hl("log_aa_10x10", "log", s$x, s$y)
s <- untied(function() round(rnorm(12, 5, 1), 4), function() round(rnorm(9, 3, 1), 4))
add_hl("raw_12x9", "raw", s$x, s$y)
s <- untied(function() round(rnorm(10, 100, 1), 4), function() round(rnorm(10, 98, 1), 4))
add_hl("raw_10x10_conf90", "raw", s$x, s$y, 0.90)
s <- untied(function() round(rnorm(8, 1, 1), 4), function() round(rnorm(8, 0, 1), 4))
add_hl("raw_8x8_conf99", "raw", s$x, s$y, 0.99)
hl <- do.call(rbind, hl_rows)
write.table(hl, file.path(outdir, "hl_reference.tsv"), sep = "\t",
	    quote = FALSE, row.names = FALSE)

# ---------------------------------------------------------------- p.adjust

pa_rows <- list()
add_pa <- function(name, p) {
	for (m in c("holm", "BH")) {
		pa_rows[[length(pa_rows) + 1]] <<- data.frame(
			case = name, method = m, p = fmt(p), adj = fmt(p.adjust(p, m)),
			stringsAsFactors = FALSE)
	}
}
add_pa("single", 0.03)
add_pa("five", c(0.01, 0.04, 0.03, 0.005, 0.5))
add_pa("ties", c(0.02, 0.02, 0.02, 0.5, 0.001, 0.001))
add_pa("with_na", c(0.01, NA, 0.04, 0.2, NA, 0.0001))
add_pa("ones_and_zeros", c(0, 1, 0, 0.5, 1))
add_pa("uniform_50", runif(50))
add_pa("tiny_20", c(10^-(1:10), runif(10, 0, 0.05)))
pa <- do.call(rbind, pa_rows)
write.table(pa, file.path(outdir, "padj_reference.tsv"), sep = "\t",
	    quote = FALSE, row.names = FALSE)

# ---------------------------------------------------------------- distributions

d_rows <- list()
add_d <- function(fn, a, b, v) {
	d_rows[[length(d_rows) + 1]] <<- data.frame(fn = fn, a = sprintf("%.17g", a),
		b = sprintf("%.17g", b), value = sprintf("%.17g", v), stringsAsFactors = FALSE)
}
for (z in c(-37, -20, -8, -5, -2.5, -1.96, -1, -0.1, 0, 0.3, 1, 1.6448536269514722, 3, 6))
	add_d("pnorm", z, 0, pnorm(z))
for (p in c(1e-300, 1e-50, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.1, 0.3, 0.49, 0.5, 0.51,
	    0.7, 0.8, 0.975, 0.999, 1 - 1e-10))
	add_d("qnorm", p, 0, qnorm(p))
for (df in c(1, 2, 3, 4.5, 9, 18, 29, 98, 1000)) {
	for (t in c(-50, -4, -2.1, -0.5, 0, 0.7, 1.5, 3, 12))
		add_d("pt", t, df, pt(t, df))
}
for (df in c(1, 2, 3, 4.5, 9, 18, 29, 63, 98, 1000)) {
	for (p in c(1e-8, 0.001, 0.01, 0.025, 0.2, 0.5, 0.8, 0.9, 0.975, 0.99, 0.995))
		add_d("qt", p, df, qt(p, df))
}
dd <- do.call(rbind, d_rows)
write.table(dd, file.path(outdir, "dist_reference.tsv"), sep = "\t",
	    quote = FALSE, row.names = FALSE)
cat(sprintf("mwu %d, hl %d, padj %d, dist %d rows\n", nrow(mwu), nrow(hl), nrow(pa), nrow(dd)))
