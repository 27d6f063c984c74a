#!/usr/bin/env python3
"""Reference values of the BG/NBD predictions over a grid of parameters.

Writes test/reference/bgnbd_grid.csv, which sql/predict_grid.sql loads and
compares with expected_purchases (both forms), p_alive and
purchase_probability.  It needs Python 3 with mpmath (1.3.0 was used); CI
does not have it, so the CSV is committed and this script runs offline, from
the root of the checkout:

    python3 test/reference/bgnbd_grid.py            # writes the CSV
    python3 test/reference/bgnbd_grid.py --check N  # only cross-checks N random
                                                    # expectations by the integral
    JOBS=1 python3 test/reference/bgnbd_grid.py     # one process (default 2)

It takes about 25 minutes with two processes (the integral fallback below is
the slow part).  Every value is computed from the exact double value of each
input with mpmath at 60 significant digits (100 where a is within 1e-3 of 1),
independently of the extension's C code:

  E[X(t)] = (a+b-1)/(a-1) [1 - u^r 2F1(r, b; a+b-1; z)],  u = alpha/(alpha+t),
            z = t/(alpha+t)  (mpmath.hyp2f1; at a = 1 exactly, the mean of
            a = 1 - 1e-40 and a = 1 + 1e-40, whose error is O(1e-80)),
            method "h", kept when it lies within the bounds that the
            integral below proves, 1 - (1 + t/alpha)^-r <= E <= r t/alpha
            and E <= (a+b-1)/(a-1) for a > 1; where it does not (mpmath's
            2F1 returns garbage, the same at any precision, for some large
            parameters: -5e352 for a value of 0.02 at r = 121.3,
            alpha = 108, a = 1e4, b = 10120, t = 520), or where mpmath's 2F1
            does not finish within 0.3 s (a huge b with z near 1: its series
            and transformations converge too slowly), the same expectation as the integral over the
            dropout probability, E_p[(1 - (1 + p t/alpha)^-r) / p] with
            p ~ Beta(a, b), by mpmath.quad (tanh-sinh) at 40 digits in the
            log-odds of p, split at the mode of the density and where the
            integrand bends, method "q"
  E[Y(t) | x, t_x, T] = E[X(t)] of (r+x, alpha+T, a, b+x)
            / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
  P(alive | x, t_x, T) = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)),
            method "f"
  P(X(t) = n) = B(a, b+n)/B(a, b) G(r+n)/(G(r) n!) u^r z^n
            + [n > 0] B(a+1, b+n-1)/B(a, b) I_z(n, r)    (mpmath.betainc),
            method "b"

With --check N (and no CSV written), N random expectations of method "h" are
also computed by the integral, and any relative difference above 1e-20 is
printed.

CSV columns: kind (E, C, A, P), r, alpha, a, b, t, x, t_x, T, n, the
reference (20 significant digits) and its method.
"""
import csv
import multiprocessing
import os
import random
import signal
import sys

from mpmath import mp, mpf, hyp2f1, betainc, beta, loggamma, quad, \
    exp, log, log1p, expm1, inf, factorial
from mpmath.libmp import NoConvergence

R = [1e-3, 0.05, 1.3, 60.0, 1e4]
ALPHA = [1e-3, 0.06, 4.0, 150.0, 1e4]
A = [1e-3, 0.25, 0.999999, 1.0, 1.000001, 2.5, 90.0, 1e4]
B = [1e-3, 0.5, 3.0, 250.0, 1e4, 1e7]
T_ALL = [0.1, 7.0, 52.0, 520.0]
T_COND = [7.0, 520.0]
# (x, t_x, T): repeat buyers, from one purchase to many
CUSTOMERS = [(1.0, 2.0, 40.0), (6.0, 35.0, 52.0), (120.0, 100.0, 104.0)]
N_PROB = [0, 1, 40]
# worker processes
JOBS = int(os.environ.get('JOBS', '2'))

F = mpf


class Slow(Exception):
    pass


def _alarm(signum, frame):
    raise Slow()


def expectation_hyp(r, al, a, b, t):
    """E[X(t)] from the hypergeometric form; arguments are mpf."""
    if t == 0:
        return F(0)
    if a == 1:
        d = F(10) ** -40
        return (expectation_hyp(r, al, a - d, b, t) + expectation_hyp(r, al, a + d, b, t)) / 2
    c = a + b - 1
    u = al / (al + t)
    z = t / (al + t)
    return c / (a - 1) * (1 - u ** r * hyp2f1(r, b, c, z, maxterms=10**7))


def expectation_quad(r, al, a, b, t):
    """The same as an integral over p ~ Beta(a, b), in y = logit(p)."""
    if t == 0:
        return F(0)
    k = t / al
    lB = loggamma(a) + loggamma(b) - loggamma(a + b)

    def f(y):
        lp = -log1p(exp(-y))
        lq = -log1p(exp(y))
        return exp(a * lp + b * lq - lB) * (-expm1(-r * log1p(k * exp(lp)))) / exp(lp)
    pts = set()
    # the mode of the Beta density in y at its scale; where k p = 1, r k p = 1
    # and r ln(1 + k p) = 1 at unit scale
    sd = min(F(1), (1 / a + 1 / b) ** F(0.5))
    centres = [(log(a / b), sd), (-log(k), F(1)), (-log(k) - log(r), F(1))]
    if r < 1 and 1 / r < 1000:
        centres.append((log(expm1(1 / r)) - log(k), F(1)))
    for c, w in centres:
        pts.add(c)
        for j in range(7):
            pts.add(c + w * F(4) ** j)
            pts.add(c - w * F(4) ** j)
    return quad(f, [-inf] + sorted(pts) + [inf])


def expectation(r, al, a, b, t):
    """The hypergeometric form, or the integral where mpmath's 2F1 takes
    more than 0.3 s (a huge b with z near 1) or returns a value outside the
    bounds of the integral; returns (value, method)"""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        v = expectation_hyp(r, al, a, b, t)
        signal.setitimer(signal.ITIMER_REAL, 0)
        # mpmath's 2F1 can return garbage for large parameters (the same at
        # any precision): kept only within the bounds of the integral form,
        # h(1) <= E <= h(0) = r t/alpha, and E <= E[1/p] = (a+b-1)/(a-1)
        k = t / al
        hi = r * k
        if a > 1:
            hi = min(hi, (a + b - 1) / (a - 1))
        if t == 0 or (-expm1(-r * log1p(k)) <= v <= hi):
            return v, 'h'
    except (Slow, NoConvergence):
        signal.setitimer(signal.ITIMER_REAL, 0)
    with mp.workdps(40):
        v = expectation_quad(r, al, a, b, t)
    return +v, 'q'


def odds_gone(r, al, a, b, x, tx, T):
    if x == 0:
        return F(0)
    return a / (b + x - 1) * ((al + T) / (al + tx)) ** (r + x)


def probability(r, al, a, b, t, n):
    u = al / (al + t)
    z = t / (al + t)
    p = beta(a, b + n) / beta(a, b) * exp(loggamma(r + n) - loggamma(r)) / factorial(n) \
        * u ** r * z ** n
    if n > 0:
        p += beta(a + 1, b + n - 1) / beta(a, b) * betainc(n, r, 0, z, regularized=True)
    return p


def model_rows(model):
    """the rows of one model (r, alpha, a, b)"""
    r, al, a, b = model
    rows = []
    mp.dps = dps_for(a)
    rf, alf, af, bf = F(r), F(al), F(a), F(b)
    for t in T_ALL:
        v, how = expectation(rf, alf, af, bf, F(t))
        rows.append(('E', r, al, a, b, t, 0.0, 0.0, 0.0, 0, v, how))
        for n in N_PROB:
            rows.append(('P', r, al, a, b, t, 0.0, 0.0, 0.0, n,
                         probability(rf, alf, af, bf, F(t), n), 'b'))
    for (x, tx, T) in CUSTOMERS:
        og = odds_gone(rf, alf, af, bf, F(x), F(tx), F(T))
        rows.append(('A', r, al, a, b, 0.0, x, tx, T, 0, 1 / (1 + og), 'f'))
        for t in T_COND:
            num, how = expectation(rf + x, alf + T, af, bf + x, F(t))
            rows.append(('C', r, al, a, b, t, x, tx, T, 0, num / (1 + og), how))
    return rows


def dps_for(a):
    return 100 if abs(a - 1) < 1e-3 else 60


def main():
    check = 0
    if len(sys.argv) == 3 and sys.argv[1] == '--check':
        check = int(sys.argv[2])
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'bgnbd_grid.csv')
    models = [(r, al, a, b) for r in R for al in ALPHA for a in A for b in B]
    if check:
        cross_check(models, check)
        return
    rows = []
    with multiprocessing.Pool(JOBS) as pool:
        for i, part in enumerate(pool.imap(model_rows, models)):
            if i % 50 == 0:
                print('model %d of %d' % (i, len(models)), flush=True)
            rows.extend(part)
    with open(out, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        for row in rows:
            w.writerow([row[0]] + [repr(v) for v in row[1:9]] + [row[9], mp.nstr(row[10], 20), row[11]])
    print('%d rows written to %s' % (len(rows), out))


def cross_check(models, count):
    """the hypergeometric form against the integral at random points"""
    rnd = random.Random(21)
    worst = F(0)
    done = 0
    while done < count:
        r, al, a, b = rnd.choice(models)
        t = rnd.choice(T_ALL)
        if a == 1:
            continue
        mp.dps = dps_for(a)
        e1, how = expectation(F(r), F(al), F(a), F(b), F(t))
        if how != 'h':
            continue
        e2 = expectation_quad(F(r), F(al), F(a), F(b), F(t))
        rel = abs(e1 - e2) / abs(e1)
        worst = max(worst, rel)
        done += 1
        if rel > F(10) ** -20:
            print('DISAGREE', r, al, a, b, t, e1, e2)
    print('cross-check: %d expectations, largest relative difference %s'
          % (count, mp.nstr(worst, 3)))


if __name__ == '__main__':
    main()
