#!/usr/bin/env python3
# test/reference/mbgnbd_values.py: reference values of the MBG/NBD model
# (Batislam, Denizel and Filiztekin 2007) for sql/predict.sql, computed with
# mpmath at 50 digits straight from the model's closed forms, independently
# of the extension's C code (which evaluates them through BG/NBD's with b + 1).
# Needs mpmath; run offline: python3 test/reference/mbgnbd_values.py
from mpmath import mp, mpf, hyp2f1, loggamma, log, exp

mp.dps = 50


def loglik(r, alpha, a, b, x, tx, T):
    # ln[ B(a, b+x+1)/B(a,b) * G(r+x) alpha^r / G(r)
    #     * ((alpha+T)^-(r+x) + a/(b+x) (alpha+tx)^-(r+x)) ]
    lb = (loggamma(a + b) + loggamma(b + x + 1) - loggamma(b) - loggamma(a + b + x + 1))
    lg = loggamma(r + x) - loggamma(r) + r * log(alpha)
    return lb + lg + log((alpha + T) ** -(r + x) + a / (b + x) * (alpha + tx) ** -(r + x))


def p_alive(r, alpha, a, b, x, tx, T):
    return 1 / (1 + a / (b + x) * ((alpha + T) / (alpha + tx)) ** (r + x))


def expected(r, alpha, a, b, t):
    z = t / (alpha + t)
    return b / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b + 1, a + b, z))


def conditional(r, alpha, a, b, t, x, tx, T):
    z = t / (alpha + T + t)
    num = (a + b + x) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x)
                                   * hyp2f1(r + x, b + x + 1, a + b + x, z))
    return num * p_alive(r, alpha, a, b, x, tx, T)


models = [(mpf('0.525'), mpf('6.183'), mpf('0.891'), mpf('1.614')),
          (mpf('2'), mpf('10'), mpf('3.5'), mpf('0.25'))]
customers = [(0, 0, 38.86), (2, 30.43, 38.86), (7, 35.5, 39), (1, 1.71, 38.86)]
for m, P in enumerate(models, 1):
    for (x, tx, T) in customers:
        x, tx, T = mpf(x), mpf(str(tx)), mpf(str(T))
        print(f"({m}, {x}, {tx}, {T}, {mp.nstr(loglik(*P, x, tx, T), 20)}, "
              f"{mp.nstr(p_alive(*P, x, tx, T), 20)}, "
              f"{mp.nstr(conditional(*P, mpf(39), x, tx, T), 20)}),")
    for t in (1, 39, 520):
        print(f"-- model {m} E[X({t})] = {mp.nstr(expected(*P, mpf(t)), 20)}")


# P(X(t) = n) of a new customer: a customer gone at time 0 (a/(a+b)) buys
# nothing; otherwise n purchases and still there, or gone after the n-th
def probability(r, alpha, a, b, t, n):
    def nb(j):
        return exp(loggamma(r + j) - loggamma(r) - loggamma(j + 1)) * (alpha / (alpha + t)) ** r * (t / (alpha + t)) ** j
    lbeta = lambda p, q: loggamma(p) + loggamma(q) - loggamma(p + q)
    first = exp(lbeta(a, b + n + 1) - lbeta(a, b)) * nb(n)
    second = exp(lbeta(a + 1, b + n) - lbeta(a, b)) * (1 - sum(nb(j) for j in range(n)))
    return first + second


for m, P in enumerate(models, 1):
    for (t, n) in ((1, 0), (1, 1), (39, 0), (39, 2), (39, 10), (520, 5)):
        print(f"-- model {m} P(X({t}) = {n}) = {mp.nstr(probability(*P, mpf(t), n), 20)}")
