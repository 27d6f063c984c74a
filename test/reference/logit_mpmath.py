#!/usr/bin/env python3
"""Reference values of engagement_logit_fit for sql/learn.sql.

Run:  python3 test/reference/logit_mpmath.py   (needs mpmath; 60 digits)

Independent of src/learn.c: the 200 generated customers of sql/learn.sql
rebuilt from the same integer formulas (the decayed values are exact binary
fractions: events at as_of minus whole half-lives), and the logistic
regression fitted by plain Newton steps on the full 5 x 5 system (mpmath's
lu_solve, no scaling, no line search) until the step is below 1e-40, for
penalty 0 and penalty 2 (log-likelihood minus penalty/2 times the squared
dimension coefficients, the intercept unpenalised).  Standard errors are the
square roots of the diagonal of the inverse of the penalised information
matrix.  The printed numbers are quoted in sql/learn.sql.
"""

from mpmath import mp, mpf, exp, log, sqrt, matrix, lu_solve, inverse
mp.dps = 60

def data():
    rows = []
    for i in range(1, 201):
        a = (i * 17) % 11          # involvement value, at as_of - (i % 3) weeks
        b = (i * 29) % 7           # interaction value, at as_of - (i % 2) weeks
        cn = (i * 13) % 9 - 4      # intimacy = cn / 4, at as_of
        d = (i * 31) % 5           # influence value, at as_of - 2 weeks
        x = [mpf(a) / 2 ** (i % 3), mpf(b) / 2 ** (i % 2), mpf(cn) / 4, mpf(d) / 4]
        score = 10 + 3 * a + 4 * b + 5 * cn + 6 * d
        y = 1 if (i * 7919) % 101 < score else 0
        rows.append((x, y))
    return rows

def fit(rows, lam):
    k = 5
    beta = [mpf(0)] * k
    for it in range(100):
        g = [mpf(0)] * k
        H = matrix(k, k)
        ll = mpf(0)
        for x, y in rows:
            z = [mpf(1)] + x
            eta = sum(beta[j] * z[j] for j in range(k))
            p = 1 / (1 + exp(-eta))
            ll += y * log(p) + (1 - y) * log(1 - p)
            for j in range(k):
                g[j] += (y - p) * z[j]
                for m in range(k):
                    H[j, m] += p * (1 - p) * z[j] * z[m]
        for j in range(1, k):
            g[j] -= lam * beta[j]
            H[j, j] += lam
        step = lu_solve(H, matrix(g))
        beta = [beta[j] + step[j] for j in range(k)]
        if max(abs(s) for s in step) < mpf(10) ** -40:
            break
    cov = inverse(H)
    return beta, [sqrt(cov[j, j]) for j in range(k)], ll, it

rows = data()
print("positives", sum(y for _, y in rows), "rows", len(rows))
for lam in (0, 2):
    beta, se, ll, it = fit(rows, mpf(lam))
    print("penalty", lam, "iterations", it, "loglik", mp.nstr(ll, 20))
    for j in range(5):
        print("  ", mp.nstr(beta[j], 20), mp.nstr(se[j], 20))
