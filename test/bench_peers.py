#!/usr/bin/env python3
"""test/bench_peers.py: the Python peers of the benchmark (run by test/bench_run.sh).

    bench_peers.py check                       exit 0 when pandas and psycopg2 import
    bench_peers.py nps_groups RUNS REF_SQL     pandas: NPS per group of scores(g, score)
    bench_peers.py sessions RUNS REF_SQL       pandas: the session table of touches
    bench_peers.py bgnbd RUNS REF_SQL          lifetimes: BetaGeoFitter on btyd(x, tx, T)

Each timed case prints one line, "<best ms> <same>", where best ms is the best of RUNS
wall-clock runs INCLUDING the export from PostgreSQL (COPY ... TO STDOUT into memory, then
parsed), and same is t when the result equals the one REF_SQL computes in PostgreSQL
(the extension's function), else f.  Connection: the libpq environment (PGHOST, PGPORT,
PGDATABASE, PGUSER) that pg_virtualenv sets.
"""
import io
import sys
import time

import psycopg2


def export(conn, sql):
    """COPY the query's rows as CSV into an in-memory buffer (the fastest bulk path)."""
    buf = io.BytesIO()
    with conn.cursor() as cur:
        cur.copy_expert("COPY (%s) TO STDOUT WITH (FORMAT csv)" % sql, buf)
    buf.seek(0)
    return buf


def reference(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def best_of(runs, fn):
    best, result = None, None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        ms = (time.perf_counter() - start) * 1000.0
        best = ms if best is None or ms < best else best
    return best, result


def nps_groups(conn, runs, ref_sql):
    import pandas as pd

    def run():
        df = pd.read_csv(export(conn, "SELECT g, score FROM scores"), header=None,
                         names=["g", "score"], dtype={"g": "int32", "score": "int16"})
        counts = pd.DataFrame({"g": df["g"], "p": df["score"] >= 9, "d": df["score"] <= 6})
        s = counts.groupby("g").agg(p=("p", "sum"), d=("d", "sum"), n=("p", "size"))
        return 100.0 * (s["p"] - s["d"]) / s["n"]

    ms, nps = best_of(runs, run)
    ref = dict(reference(conn, ref_sql))
    same = len(ref) == len(nps) and all(abs(float(ref[g]) - v) <= 1e-9 for g, v in nps.items())
    return ms, same


def sessions(conn, runs, ref_sql):
    """Sessions of touches(customer, ts, channel): a gap over 30 minutes starts a new one;
    per session its start, end, touches and the channels with repeats in a row collapsed.
    Checked on (sessions, total collapsed channels, longest session in seconds)."""
    import numpy as np
    import pandas as pd

    def run():
        df = pd.read_csv(export(conn, "SELECT customer, (extract(epoch FROM ts) * 1000000)::bigint, channel "
                                      "FROM touches"),
                         header=None, names=["customer", "ts", "channel"],
                         dtype={"customer": "int64", "ts": "int64", "channel": "category"})
        # order the channel codes as the text sorts, so (ts, channel) ties break as in SQL
        df["channel"] = df["channel"].cat.reorder_categories(sorted(df["channel"].cat.categories))
        df["code"] = df["channel"].cat.codes
        df.sort_values(["customer", "ts", "code"], inplace=True, ignore_index=True)
        cust = df["customer"].to_numpy()
        ts = df["ts"].to_numpy()
        code = df["code"].to_numpy()
        new = np.ones(len(df), dtype=bool)
        new[1:] = (cust[1:] != cust[:-1]) | (ts[1:] - ts[:-1] > 30 * 60 * 1000000)
        keep = new.copy()
        keep[1:] |= code[1:] != code[:-1]
        df["session"] = np.cumsum(new)
        df["keep"] = keep
        table = df.groupby("session").agg(customer=("customer", "first"), started=("ts", "min"),
                                           ended=("ts", "max"), touches=("ts", "size"),
                                           channels=("keep", "sum"))
        return (len(table), int(table["channels"].sum()),
                float((table["ended"] - table["started"]).max()) / 1e6)

    ms, got = best_of(runs, run)
    ref = reference(conn, ref_sql)[0]
    same = got[0] == ref[0] and got[1] == ref[1] and abs(got[2] - float(ref[2])) < 1e-6
    return ms, same


def bgnbd(conn, runs, ref_sql):
    """lifetimes' BetaGeoFitter on the same customers, compared on the parameters."""
    import pandas as pd
    from lifetimes import BetaGeoFitter

    def run():
        df = pd.read_csv(export(conn, "SELECT x, tx, T FROM btyd"), header=None,
                         names=["x", "tx", "T"], dtype="float64")
        f = BetaGeoFitter()
        f.fit(df["x"], df["tx"], df["T"])
        return [f.params_[k] for k in ("r", "alpha", "a", "b")]

    ms, got = best_of(runs, run)
    ref = [float(v) for v in reference(conn, ref_sql)[0]]
    same = all(abs(a - b) <= 1e-3 * max(1.0, abs(b)) for a, b in zip(got, ref))
    return ms, same


def main():
    if sys.argv[1] == "check":
        import pandas  # python3-pandas; psycopg2 is imported above
        print(pandas.__version__)
        return
    if sys.argv[1] == "check_lifetimes":
        import lifetimes  # noqa: F401
        return
    case, runs, ref_sql = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    conn = psycopg2.connect("")
    conn.autocommit = True
    ms, same = {"nps_groups": nps_groups, "sessions": sessions, "bgnbd": bgnbd}[case](conn, runs, ref_sql)
    print("%.1f %s" % (ms, "t" if same else "f"))


if __name__ == "__main__":
    main()
