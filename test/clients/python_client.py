#!/usr/bin/env python3
#
# test/clients/python_client.py: states of the engagement extension read from
# Python, with psycopg2, pandas and (when installed) psycopg 3, against a
# database holding the generated CRM data (test/gen_data.sql) and the BI
# views (test/bi_views.sql).  Run by test/t/010_python.pl:
#
#   python3 test/clients/python_client.py 'host=... port=... dbname=postgres'
#
# Every expected value is computed here, in Python, from the raw rows (never
# by the extension).  Prints one line per check, "ok - NAME" or
# "not ok - NAME # DETAIL" (or "skip - NAME # REASON"); exits 0 when every
# check ran, whatever their results, which the TAP test reports one by one.
# The examples of docs/python.md are copied from this file verbatim (the TAP
# test checks that they still are).
#
import json
import re
import sys
import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import psycopg2
import psycopg2.extensions

# pandas 2 warns about DBAPI connections other than SQLAlchemy's; they work
warnings.filterwarnings('ignore', message='.*SQLAlchemy connectable.*')

DSN = sys.argv[1]
TOL = 1e-9


def report(name, passed, detail=''):
    if passed:
        print(f'ok - {name}')
    else:
        print(f'not ok - {name} # {detail}')


def close(a, b, tol=TOL):
    return a is not None and b is not None and abs(float(a) - float(b)) <= tol * max(1.0, abs(float(b)))


def nps_of(scores):
    """NPS from raw scores: 100 * (promoters - detractors) / responses."""
    s = pd.Series(scores).dropna().astype(int)
    return 100.0 * ((s >= 9).sum() - (s <= 6).sum()) / len(s)


def counts_of(scores):
    s = pd.Series(scores).dropna().astype(int)
    return {'promoters': int((s >= 9).sum()), 'passives': int(((s >= 7) & (s <= 8)).sum()),
            'detractors': int((s <= 6).sum()), 'responses': int(len(s))}


# --- psycopg2 ---------------------------------------------------------------
# Times in UTC, so that days and months are the same here and in pandas.
conn = psycopg2.connect(DSN, options='-c TimeZone=UTC')
conn.autocommit = True
cur = conn.cursor()

# The raw answers, read with pandas; NPS and its counts computed here.
surveys = pd.read_sql('SELECT answered_at, score, weight FROM crm.surveys', conn)
answered = surveys.dropna(subset=['score'])
expected_nps = nps_of(answered['score'])
expected_counts = counts_of(answered['score'])

# nps(score) and nps(nps_agg(score)): the same number as the formula's
cur.execute('SELECT nps(score), nps(nps_agg(score)) FROM crm.surveys')
direct, from_state = cur.fetchone()
report('nps(score) equals 100*(P-D)/n computed by pandas',
       close(direct, expected_nps), f'{direct} != {expected_nps}')
report('nps(nps_agg(score)) equals 100*(P-D)/n computed by pandas',
       close(from_state, expected_nps), f'{from_state} != {expected_nps}')

# A state read as JSON: psycopg2 turns jsonb into a dict
cur.execute('SELECT nps_agg(score)::jsonb FROM crm.surveys')
state = cur.fetchone()[0]
got = {k: state[k] for k in ('promoters', 'passives', 'detractors', 'responses')}
report('nps_agg(score)::jsonb is a dict with the counts pandas computed',
       isinstance(state, dict) and got == expected_counts and state['weighted'] is False,
       f'{state} != {expected_counts}')

# Accessors in SQL: plain columns for pandas
summary = pd.read_sql("""
    SELECT promoters(s), detractors(s), responses(s), nps(s), lower_bound(s, 0.95)
    FROM (SELECT nps_agg(score) AS s FROM crm.surveys) x""", conn)
row = summary.iloc[0]
report('accessors of a state read with pd.read_sql equal pandas counts and NPS',
       int(row['promoters']) == expected_counts['promoters'] and int(row['detractors']) == expected_counts['detractors']
       and int(row['responses']) == expected_counts['responses'] and close(row['nps'], expected_nps)
       and row['lower_bound'] < row['nps'], summary.to_dict('records'))

# Weighted: the weight totals of each class (reference: pandas sums)
cur.execute('SELECT nps_agg(score, weight)::jsonb FROM crm.surveys')
wstate = cur.fetchone()[0]
w = answered['weight']
sc = answered['score']
expected_w = {'promoter_weight': w[sc >= 9].sum(), 'passive_weight': w[(sc >= 7) & (sc <= 8)].sum(),
              'detractor_weight': w[sc <= 6].sum(), 'weight_squares': (w * w).sum()}
report('nps_agg(score, weight)::jsonb has the weight totals pandas computed',
       wstate['weighted'] is True and all(close(wstate[k], v) for k, v in expected_w.items()),
       f'{wstate} != {expected_w}')

# Per month: the view's state column as JSON against pandas' groupby
monthly = pd.read_sql('SELECT month, nps_state::jsonb AS s FROM bi.monthly_nps ORDER BY month', conn)
months = answered.assign(month=pd.to_datetime(answered['answered_at'], utc=True)
                         .dt.tz_localize(None).dt.to_period('M').dt.start_time.dt.date)
by_month = {m: counts_of(g['score']) for m, g in months.groupby('month')}
bad = [(r.month, r.s) for r in monthly.itertuples()
       if {k: r.s[k] for k in ('promoters', 'passives', 'detractors', 'responses')} != by_month.get(r.month)]
report(f'bi.monthly_nps states as JSON: counts per month equal pandas groupby ({len(monthly)} months)',
       len(monthly) == len(by_month) and len(monthly) > 1 and not bad, f'{len(by_month)} months in pandas, mismatches {bad[:3]}')

# unnest(rfm): one row per UTC day with the day's total (reference: pandas
# groupby on UTC days of the raw orders)
days = pd.read_sql("""
    SELECT customer_id, u.day, u.amount
    FROM (SELECT customer_id, rfm_agg(ordered_at, amount::float8) AS r
          FROM crm.orders GROUP BY customer_id) s,
         unnest(r) u
    ORDER BY customer_id, u.day""", conn)
orders = pd.read_sql('SELECT customer_id, ordered_at, amount::float8 AS amount FROM crm.orders', conn)
orders['day'] = pd.to_datetime(orders['ordered_at'], utc=True).dt.floor('D')
expected_days = orders.groupby(['customer_id', 'day'], as_index=False)['amount'].sum()
days['day'] = pd.to_datetime(days['day'], utc=True)
merged = days.merge(expected_days, on=['customer_id', 'day'], how='outer', suffixes=('_sql', '_pandas'))
mismatch = merged[~np.isclose(merged['amount_sql'], merged['amount_pandas'], rtol=TOL, atol=TOL)]
report(f'unnest(rfm_agg(...)) read with pd.read_sql: {len(days)} days, sums equal pandas groupby on UTC days '
       f'({len(expected_days)} days)', len(days) == len(expected_days) and len(days) > 0 and mismatch.empty,
       f'{len(mismatch)} mismatches, e.g. {mismatch.head(3).to_dict("records")}')

# to_json(row) of a view row with a state column: plain JSON, parsed by json.loads
cur.execute('SELECT to_json(m)::text FROM bi.monthly_nps m ORDER BY month')
rows = [json.loads(t) for (t,) in cur.fetchall()]
bad = [r for r in rows if not isinstance(r['nps_state'], dict)
       or r['nps_state']['promoters'] != r['promoters'] or r['nps_state']['detractors'] != r['detractors']
       or by_month.get(pd.Timestamp(r['month']).date(), {}).get('responses') != r['nps_state']['responses']]
report(f'to_json(row) of bi.monthly_nps parses with json.loads, state as an object ({len(rows)} rows)',
       len(rows) == len(by_month) and not bad, f'mismatches {bad[:2]}')

# DISTINCT and GROUP BY over a state column (each month's state twice);
# reference: the distinct count tuples pandas computed per month
cur.execute("""
    SELECT count(*) FROM (SELECT DISTINCT nps_state FROM (
        SELECT nps_state FROM bi.monthly_nps UNION ALL SELECT nps_state FROM bi.monthly_nps) x) d""")
n_distinct = cur.fetchone()[0]
tuples = [tuple(c[k] for k in ('promoters', 'passives', 'detractors')) for c in by_month.values()]
report('SELECT DISTINCT over a state column through psycopg2',
       n_distinct == len(set(tuples)), f'{n_distinct} != {len(set(tuples))}')
cur.execute("""
    SELECT nps_state::jsonb, count(*) FROM (
        SELECT nps_state FROM bi.monthly_nps UNION ALL SELECT nps_state FROM bi.monthly_nps) x
    GROUP BY nps_state""")
grouped = {(s['promoters'], s['passives'], s['detractors']): n for s, n in cur.fetchall()}
expected_groups = pd.Series(tuples * 2).value_counts().to_dict()
report('GROUP BY a state column through psycopg2', grouped == expected_groups,
       f'{grouped} != {expected_groups}')

# Without a cast a state arrives as its text form, a str; sent back as a
# parameter it gives the same state
cur.execute('SELECT nps_agg(score) FROM crm.surveys')
text = cur.fetchone()[0]
cur.execute('SELECT %s::nps_summary = nps_agg(score) FROM crm.surveys', (text,))
same = cur.fetchone()[0]
fields = dict(re.findall(r'(\w+)=([^,)]+)', text)) if isinstance(text, str) else {}
report(f'state without a cast is its text form {text!r}, counts as pandas computed',
       isinstance(text, str) and {k: int(fields.get(k, -1)) for k in ('promoters', 'passives', 'detractors')}
       == {k: expected_counts[k] for k in ('promoters', 'passives', 'detractors')}, repr(text))
report('text form sent back as %s::nps_summary equals the state (=)', same is True, repr(same))
cur.execute('SELECT customer_id, rfm_agg(ordered_at, amount::float8) FROM crm.orders '
            'WHERE customer_id <= 20 GROUP BY customer_id ORDER BY customer_id')
states = cur.fetchall()
equal = 0
for customer_id, r in states:
    cur.execute('SELECT %s::rfm = rfm_agg(ordered_at, amount::float8) FROM crm.orders WHERE customer_id = %s',
                (r, customer_id))
    equal += cur.fetchone()[0] is True
report(f'rfm text forms round trip through %s::rfm ({equal} of {len(states)} equal)',
       len(states) > 0 and equal == len(states), f'{equal} of {len(states)}')

# bigint and numeric scores from a DataFrame (numpy int64 and Decimal)
psycopg2.extensions.register_adapter(np.int64, psycopg2.extensions.AsIs)
scores = pd.DataFrame({'b': np.array([10, 9, 9, 8, 7, 6, 0, 10, 3, 9], dtype=np.int64)})
scores['n'] = [Decimal(int(v)) for v in scores['b']]
cur.execute('CREATE TEMP TABLE imported (b bigint, n numeric)')
cur.executemany('INSERT INTO imported VALUES (%s, %s)', list(scores.itertuples(index=False, name=None)))
cur.execute('SELECT nps(b), nps(n), nps(nps_agg(b)), nps(nps_agg(n)) FROM imported')
got = cur.fetchone()
expected = nps_of(scores['b'])
report(f'nps() of bigint and numeric columns from numpy int64 / Decimal: {got} = {expected}',
       all(close(g, expected) for g in got), f'{got} != {expected}')
try:
    cur.execute('SELECT nps(s) FROM (VALUES (%s)) v(s)', (Decimal('9.5'),))
    report('nps() of a numeric 9.5 is an error 22003', False, f'returned {cur.fetchone()}')
except psycopg2.Error as e:
    report('nps() of a numeric 9.5 is an error 22003', e.pgcode == '22003', f'{e.pgcode}: {e}')
conn.close()

# --- psycopg 3 (Debian's python3-psycopg), when installed ---------------------
try:
    import psycopg
except ImportError:
    print('skip - psycopg 3 # python3-psycopg is not installed')
    sys.exit(0)

with psycopg.connect(DSN, options='-c TimeZone=UTC', autocommit=True) as conn3:
    # jsonb in text and binary transfer: a dict either way
    for binary in (False, True):
        with conn3.cursor(binary=binary) as cur3:
            cur3.execute('SELECT nps_agg(score)::jsonb FROM crm.surveys')
            state = cur3.fetchone()[0]
            got = {k: state[k] for k in ('promoters', 'passives', 'detractors', 'responses')}
            report(f'psycopg 3 (binary={binary}): nps_agg(score)::jsonb is a dict with pandas counts',
                   got == expected_counts, f'{state} != {expected_counts}')
    # text transfer: the text form, sent back as a parameter
    text3 = conn3.execute('SELECT nps_agg(score) FROM crm.surveys').fetchone()[0]
    same3 = conn3.execute('SELECT %s::nps_summary = nps_agg(score) FROM crm.surveys', (text3,)).fetchone()[0]
    report('psycopg 3: state without a cast is a str that round trips', text3 == text and same3 is True,
           f'{text3!r} {same3!r}')
    # binary transfer without a cast: the binary form, bytes not meant to be read
    with conn3.cursor(binary=True) as cur3:
        cur3.execute('SELECT nps_agg(score) FROM crm.surveys')
        raw = cur3.fetchone()[0]
    report('psycopg 3 (binary=True): a state without a cast arrives as bytes',
           isinstance(raw, (bytes, bytearray, memoryview)), repr(raw))
    # unnest() readers are ordinary rows (the customer with the most order days)
    busiest = int(expected_days['customer_id'].value_counts().idxmax())
    rows3 = conn3.execute("""
        SELECT u.day, u.amount
        FROM (SELECT rfm_agg(ordered_at, amount::float8) AS r FROM crm.orders WHERE customer_id = %s) s,
             unnest(r) u ORDER BY u.day""", (busiest,)).fetchall()
    exp3 = expected_days[expected_days['customer_id'] == busiest].sort_values('day')
    report(f'psycopg 3: unnest(rfm) rows of customer {busiest} ({len(rows3)}) equal pandas groupby',
           len(rows3) == len(exp3) > 1
           and all(close(a, b) and pd.Timestamp(d) == e for (d, a), b, e in zip(rows3, exp3['amount'], exp3['day'])),
           f'{rows3[:3]} != {exp3.head(3).to_dict("records")}')
