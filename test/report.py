"""test/report.py: the demo's dashboard as one self-contained HTML report.

    /usr/bin/python3 test/report.py OUTPUT.html

Reads the BI views of test/bi_views.sql (load them first) through psycopg2,
connecting as libpq's environment says (PGHOST, PGPORT, PGDATABASE, ...),
and writes one HTML file that needs no network: every chart is an SVG drawn
by matplotlib and inlined.  Under each chart: a one-line reading and the
one SQL query over the BI views that produced its data, to paste into a BI
tool.

For tests and readers, each chart's <svg> has the id "svg-NAME" and each
plotted mark (a bar, a point, a heatmap cell) a group id "NAME-mark-I" with
its value in data-value (as the query returned it) and what it shows in
data-label.  A chart whose query fails (a model the data cannot determine)
shows the error instead, and the others are drawn.

Long lists are cut to their top rows and heatmaps are aggregated (months,
channels, buckets), so the report reads the same from 200 to millions of
customers.
"""
import html
import io
import logging
import re
import sys
import warnings

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import cm, colors  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
import psycopg2  # noqa: E402

# a tiny data set (an empty legend, a one-cell heatmap) is not worth a warning
logging.getLogger("matplotlib").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", category=UserWarning, module="matplotlib")
warnings.filterwarnings("ignore", category=UserWarning, module=__name__)

plt.rcParams.update({
    "svg.fonttype": "none",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
})

TOP = 15  # rows of the top-k charts and of the escalation table
COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1"]


class Chart:
    """One chart: a figure whose marks are registered with their values."""

    def __init__(self, name, title, sql, size=(8, 3.6), **subplots):
        self.name = name
        self.title = title
        self.sql = sql.strip()
        self.fig, self.axes = plt.subplots(figsize=size, **subplots)
        self.marks = []  # (gid, value, label)
        self.reading = ""

    def mark(self, artist, value, label):
        gid = "%s-mark-%d" % (self.name, len(self.marks))
        artist.set_gid(gid)
        self.marks.append((gid, value, label))
        return artist

    def svg(self):
        plt.rcParams["svg.hashsalt"] = self.name
        buf = io.StringIO()
        self.fig.tight_layout()
        self.fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
        plt.close(self.fig)
        s = buf.getvalue()
        s = s[s.index("<svg"):]
        # every id of this SVG unique in the page: prefixed with the chart's
        # name (the marks' ids already are)
        own = set(g for g, _, _ in self.marks)
        ids = set(re.findall(r'\bid="([^"]+)"', s)) - own

        def rename(m):
            return m.group(1) + self.name + "-" + m.group(2) + m.group(3)
        if ids:
            alt = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
            s = re.sub(r'(\bid="|#)(%s)(["\)])' % alt, rename, s)
        for gid, value, label in self.marks:
            s = s.replace('<g id="%s">' % gid,
                          '<g id="%s" class="mark" data-value="%s" data-label="%s">'
                          % (gid, html.escape(str(value), True), html.escape(label, True)), 1)
        s = s.replace("<svg ", '<svg id="svg-%s" role="img" aria-label="%s" '
                      % (self.name, html.escape(self.title, True)), 1)
        return s


def query(cur, sql):
    cur.execute(sql)
    return cur.fetchall()


def f(v):
    return None if v is None else float(v)


def bar_labels(ax, n, labels, horizontal=False):
    if horizontal:
        ax.set_yticks(range(n), labels)
    else:
        ax.set_xticks(range(n), labels)


def heatmap(ch, ax, rows, cols, values, label_fmt, cmap, vmin, vmax, cbar_label, text=True):
    """Cells as rectangles (one mark each) of a rows x cols grid; values maps
    (row, col) to (value, label); missing cells stay empty."""
    norm = colors.Normalize(vmin=vmin, vmax=vmax)
    cmap = plt.get_cmap(cmap)
    for (r, c), (v, label) in values.items():
        i, j = rows.index(r), cols.index(c)
        rect = Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=cmap(norm(float(v))), edgecolor="white", lw=0.5)
        ax.add_patch(ch.mark(rect, v, label))
        if text:
            ax.text(j, i, label_fmt(v), ha="center", va="center", fontsize=7,
                    color="white" if norm(float(v)) > 0.6 else "black")
    ax.set_xlim(-0.5, len(cols) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.spines[:].set_visible(False)
    sm = cm.ScalarMappable(norm=norm, cmap=cmap)
    ch.fig.colorbar(sm, ax=ax, label=cbar_label, fraction=0.04, pad=0.02)


# ---------------------------------------------------------------- the charts

def chart_nps(cur):
    sql = """
SELECT region, month, responses, nps, nps_lower_95, nps_upper_95
FROM bi.monthly_nps_by_region
WHERE month >= date '2025-11-01' AND responses > 0
ORDER BY region, month;"""
    rows = query(cur, sql)
    regions = sorted(set(r[0] for r in rows))
    months = sorted(set(r[1] for r in rows))
    ch = Chart("nps", "NPS per month by region, with its 95% interval", sql,
               size=(9, 2.6), ncols=max(1, len(regions)), sharey=True, squeeze=False)
    for k, region in enumerate(regions):
        ax = ch.axes[0][k]
        rs = [r for r in rows if r[0] == region]
        xs = [months.index(r[1]) for r in rs]
        lo = [f(r[4]) if r[4] is not None else f(r[3]) for r in rs]
        hi = [f(r[5]) if r[5] is not None else f(r[3]) for r in rs]
        ax.fill_between(xs, lo, hi, color=COLOURS[0], alpha=0.2, lw=0)
        ax.plot(xs, [f(r[3]) for r in rs], color=COLOURS[0], lw=1)
        for r, x in zip(rs, xs):
            (pt,) = ax.plot([x], [f(r[3])], "o", ms=3, color=COLOURS[0])
            ch.mark(pt, r[3], "%s %s: NPS %s (n=%d)" % (region, r[1].strftime("%Y-%m"), r[3], r[2]))
        ax.axhline(0, color="grey", lw=0.5)
        ax.set_title(region)
        ax.set_ylim(-100, 100)
        ticks = [i for i in range(len(months)) if i % 3 == 0]
        ax.set_xticks(ticks, [months[i].strftime("%y-%m") for i in ticks], fontsize=7)
        ax.set_xlabel("month")
        if k == 0:
            ax.set_ylabel("NPS (points, -100 to 100)")
    if rows:
        last = months[-1]
        lastrows = sorted((r for r in rows if r[1] == last), key=lambda r: f(r[3]), reverse=True)
        ch.reading = ("In %s, NPS is highest in %s (%s) and lowest in %s (%s); the band is the "
                      "95%% interval: wide bands mean few answers." %
                      (last.strftime("%B %Y"), lastrows[0][0], lastrows[0][3], lastrows[-1][0], lastrows[-1][3]))
    return ch


def chart_funnel(cur):
    sql = """
SELECT acquisition_channel, customers,
       round(100.0 * viewed / customers, 1) AS viewed_pct,
       round(100.0 * purchased / customers, 1) AS purchased_pct,
       round(100.0 * reviewed / customers, 1) AS reviewed_pct
FROM bi.funnel_by_channel
ORDER BY customers DESC;"""
    rows = query(cur, sql)
    ch = Chart("funnel", "Funnel view, purchase, review within 14 days, by acquisition channel", sql)
    ax = ch.axes
    steps = ["viewed", "purchased", "reviewed"]
    w = 0.27
    for s, step in enumerate(steps):
        for i, r in enumerate(rows):
            (b,) = ax.bar(i + (s - 1) * w, f(r[2 + s]), w, color=COLOURS[s], label=step if i == 0 else None)
            ch.mark(b, r[2 + s], "%s: %s%% %s" % (r[0], r[2 + s], step))
    bar_labels(ax, len(rows), ["%s\n(%d)" % (r[0], r[1]) for r in rows])
    ax.set_ylabel("% of the channel's customers")
    ax.set_xlabel("acquisition channel (customers)")
    ax.set_ylim(0, 100)
    ax.legend(frameon=False, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    if rows:
        best = max(rows, key=lambda r: f(r[3]))
        worst = min(rows, key=lambda r: f(r[3]))
        ch.reading = ("%s customers buy most often (%s%% purchased), %s customers least (%s%%)." %
                      (best[0], best[3], worst[0], worst[3]))
    return ch


def chart_retention(cur):
    sql = """
SELECT to_char(cohort, 'YYYY-MM') AS cohort, months_after, customers,
       round(100 * retained_share, 1) AS retained_pct
FROM bi.retention_by_cohort
ORDER BY cohort, months_after;"""
    rows = query(cur, sql)
    cohorts = sorted(set(r[0] for r in rows))
    ks = sorted(set(r[1] for r in rows))
    ch = Chart("retention", "Retention by sign-up month: % active k months (30-day windows) after signing up",
               sql, size=(7, max(2.5, 0.22 * len(cohorts) + 1)))
    vals = {(r[0], r[1]): (r[3], "%s cohort, month %d: %s%% of %d" % (r[0], r[1], r[3], r[2])) for r in rows}
    heatmap(ch, ch.axes, cohorts, ks, vals, lambda v: "%.0f" % v, "Blues", 0, 100, "% of the cohort active")
    ch.axes.set_yticks(range(len(cohorts)), cohorts, fontsize=7)
    ch.axes.set_xticks(range(len(ks)), ["%d" % k for k in ks])
    ch.axes.set_xlabel("months after signing up (30-day windows)")
    ch.axes.set_ylabel("sign-up month (cohort)")
    if rows:
        m1 = [f(r[3]) for r in rows if r[1] == 1]
        ch.reading = ("A month after signing up, %.0f%% to %.0f%% of a cohort are active; only the "
                      "windows every customer of a cohort has completed are shown." % (min(m1), max(m1)))
    return ch


def chart_score_distribution(cur):
    sql = """
SELECT b.band, 10 * (b.band - 1) || '-' || 10 * b.band AS score, count(l.customer_id) AS customers
FROM generate_series(1, 10) b(band)
LEFT JOIN bi.engagement_leaderboard l ON least(width_bucket(l.score, 0, 100, 10), 10) = b.band
GROUP BY b.band ORDER BY b.band;"""
    rows = query(cur, sql)
    ch = Chart("scores", "Engagement score distribution (four I's, 30-day half-life, as of 2026-11-01)", sql)
    ax = ch.axes
    for i, r in enumerate(rows):
        (b,) = ax.bar(i, r[2], 0.85, color=COLOURS[0])
        ch.mark(b, r[2], "score %s: %d customers" % (r[1], r[2]))
    bar_labels(ax, len(rows), [r[1] for r in rows])
    ax.set_xlabel("engagement score band (points, 0 to 100)")
    # most customers have gone quiet and score near 0: a log scale keeps the
    # engaged bands visible
    if any(r[2] > 0 for r in rows):
        ax.set_yscale("log")
    ax.set_ylabel("customers (log scale)")
    total = sum(r[2] for r in rows)
    if total:
        low = rows[0][2]
        ch.reading = ("%d of %d customers (%.0f%%) score below 10; %d score 50 or more." %
                      (low, total, 100.0 * low / total, sum(r[2] for r in rows[5:])))
    return ch


def chart_score_factors(cur):
    sql = """
SELECT customer_id, score, from_involvement, from_interaction, from_intimacy, from_influence
FROM bi.engagement_leaderboard
ORDER BY score DESC, customer_id LIMIT %d;""" % TOP
    rows = query(cur, sql)
    ch = Chart("factors", "Why the top %d customers score high: points from each of the four I's" % TOP, sql,
               size=(8, 0.25 * len(rows) + 1.4))
    ax = ch.axes
    dims = ["involvement", "interaction", "intimacy", "influence"]
    for i, r in enumerate(rows):
        left = 0.0
        for d, dim in enumerate(dims):
            v = f(r[2 + d]) or 0.0
            (b,) = ax.barh(i, v, left=left, color=COLOURS[d], label=dim if i == 0 else None)
            ch.mark(b, r[2 + d], "customer %d: %s points from %s" % (r[0], r[2 + d], dim))
            left += v
    bar_labels(ax, len(rows), ["%d (%s)" % (r[0], r[1]) for r in rows], horizontal=True)
    ax.invert_yaxis()
    ax.set_xlabel("score points (sum = the score)")
    ax.set_ylabel("customer (score)")
    ax.legend(frameon=False, ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    if rows:
        sums = [sum(f(r[2 + d]) or 0 for r in rows) for d in range(4)]
        d = max(range(4), key=lambda k: sums[k])
        ch.reading = ("Among the top %d, %s brings %.0f%% of the points." %
                      (len(rows), dims[d], 100.0 * sums[d] / (sum(sums) or 1)))
    return ch


def chart_transitions(cur):
    sql = """
SELECT from_channel, to_channel, transitions
FROM bi.channel_transitions
ORDER BY from_channel, to_channel;"""
    rows = query(cur, sql)
    chans = sorted(set(r[0] for r in rows) | set(r[1] for r in rows))
    ch = Chart("transitions", "Channel transitions within journeys (from row to column)", sql, size=(6, 4.2))
    vals = {(r[0], r[1]): (r[2], "%s to %s: %d" % (r[0], r[1], r[2])) for r in rows}
    hi = max([r[2] for r in rows] or [1])
    heatmap(ch, ch.axes, chans, chans, vals, lambda v: "%d" % v if v < 10000 else "%.0fk" % (float(v) / 1000),
            "Oranges", 0, hi, "transitions (moves between touches)")
    ch.axes.set_yticks(range(len(chans)), chans)
    ch.axes.set_xticks(range(len(chans)), chans, rotation=30)
    ch.axes.set_xlabel("to channel")
    ch.axes.set_ylabel("from channel")
    if rows:
        top = max(rows, key=lambda r: r[2])
        ch.reading = "The most frequent move is %s to %s (%d times)." % (top[0], top[1], top[2])
    return ch


def chart_attribution(cur):
    sql = """
SELECT channel, model, conversions
FROM bi.attribution_by_model
ORDER BY channel, model;"""
    rows = query(cur, sql)
    chans = sorted(set(r[0] for r in rows))
    models = ["first_touch", "last_touch", "linear", "position_based", "time_decay", "markov"]
    models = [m for m in models if any(r[1] == m for r in rows)]
    ch = Chart("attribution", "First purchases credited to each channel, by attribution model", sql, size=(9, 3.6))
    ax = ch.axes
    w = 0.8 / max(1, len(models))
    for i, c in enumerate(chans):
        for k, m in enumerate(models):
            v = [r[2] for r in rows if r[0] == c and r[1] == m]
            if not v:
                continue
            (b,) = ax.bar(i - 0.4 + (k + 0.5) * w, f(v[0]), w, color=COLOURS[k], label=m if i == 0 else None)
            ch.mark(b, v[0], "%s, %s: %s conversions" % (c, m, v[0]))
    bar_labels(ax, len(chans), chans)
    ax.set_xlabel("channel")
    ax.set_ylabel("credited first purchases")
    ax.legend(frameon=False, ncols=6, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    if rows:
        def spread(c):
            v = [f(r[2]) for r in rows if r[0] == c]
            return max(v) - min(v)
        c = max(chans, key=spread)
        ch.reading = "The models disagree most on %s (credits differ by %.0f purchases)." % (c, spread(c))
    return ch


def chart_p_alive(cur):
    sql = """
SELECT repeat_purchases, recency_weeks, p_alive, customers
FROM bi.p_alive_grid
ORDER BY repeat_purchases, recency_weeks;"""
    rows = query(cur, sql)
    xs = sorted(set(r[0] for r in rows))
    rs = sorted(set(r[1] for r in rows))
    ch = Chart("palive", "BG/NBD probability of being alive by repeat purchases and recency", sql, size=(9, 4.2))
    vals = {(r[0], r[1]): (r[2], "%d repeats, last %d-%d weeks after the first: P(alive) %s, %d customers"
                           % (r[0], r[1], r[1] + 8, r[2], r[3])) for r in rows}
    heatmap(ch, ch.axes, xs, rs, vals, lambda v: "%.1f" % v, "viridis", 0, 1, "P(alive)", text=False)
    ch.axes.set_yticks(range(len(xs)), ["%d+" % x if x == 15 else "%d" % x for x in xs], fontsize=7)
    ch.axes.set_xticks(range(len(rs)), ["%d" % r for r in rs], fontsize=7)
    ch.axes.set_xlabel("recency: weeks from the first to the last purchase (bucket start, 8 weeks)")
    ch.axes.set_ylabel("repeat purchases")
    if rows:
        many = sum(r[3] for r in rows if f(r[2]) < 0.5)
        ch.reading = ("Recent repeat buyers are alive, those who bought often and then stopped are not: "
                      "%d customers sit in cells with P(alive) below 0.5." % many)
    return ch


def chart_holdout(cur):
    sql = """
SELECT repeat_purchases_before, customers, predicted, actual
FROM bi.holdout_check
ORDER BY repeat_purchases_before;"""
    rows = query(cur, sql)
    rows.sort(key=lambda r: int(r[0].rstrip("+").split("-")[0]))
    ch = Chart("holdout", "BG/NBD holdout: purchase days in the 26 weeks after 2026-05-01, predicted vs actual",
               sql, size=(7, 3.2))
    ax = ch.axes
    for i, r in enumerate(rows):
        (b1,) = ax.bar(i - 0.2, f(r[2]), 0.4, color=COLOURS[0], label="predicted" if i == 0 else None)
        ch.mark(b1, r[2], "%s repeats before: %s predicted" % (r[0], r[2]))
        (b2,) = ax.bar(i + 0.2, f(r[3]), 0.4, color=COLOURS[1], label="actual" if i == 0 else None)
        ch.mark(b2, r[3], "%s repeats before: %s actual" % (r[0], r[3]))
    bar_labels(ax, len(rows), ["%s\n(%d)" % (r[0], r[1]) for r in rows])
    ax.set_xlabel("repeat purchases before 2026-05-01 (customers)")
    ax.set_ylabel("purchase days (26 weeks)")
    ax.legend(frameon=False, ncols=2, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    if rows:
        p = sum(f(r[2]) for r in rows)
        a = sum(f(r[3]) for r in rows)
        ch.reading = "The model predicted %.0f purchase days, %.0f happened (%+.0f%%)." % (p, a, 100 * (p - a) / (a or 1))
    return ch


def chart_predicted_clv(cur):
    sql = """
SELECT customer_id, repeat_purchases, p_alive, clv_12_months
FROM bi.predicted_value
ORDER BY clv_12_months DESC, customer_id LIMIT %d;""" % TOP
    rows = query(cur, sql)
    ch = Chart("clv", "Top %d customers by predicted 12-month CLV (BG/NBD and Gamma-Gamma)" % TOP, sql,
               size=(8, 0.25 * len(rows) + 1.4))
    ax = ch.axes
    for i, r in enumerate(rows):
        (b,) = ax.barh(i, f(r[3]), color=COLOURS[4])
        ch.mark(b, r[3], "customer %d: predicted CLV %s" % (r[0], r[3]))
    bar_labels(ax, len(rows), ["%d (%d repeats, P(alive) %.2f)" % (r[0], r[1], r[2]) for r in rows], horizontal=True)
    ax.invert_yaxis()
    ax.set_xlabel("predicted 12-month CLV (currency units, 1% a month discount)")
    ax.set_ylabel("customer")
    if rows:
        ch.reading = "The most valuable customer is expected to spend %s in the next 12 months." % rows[0][3]
    return ch


def chart_advocates(cur):
    sql = """
SELECT customer_id, referrals, clv, crv, cev
FROM bi.value_leaders
ORDER BY crv DESC, customer_id LIMIT %d;""" % TOP
    rows = query(cur, sql)
    ch = Chart("advocates", "Top %d advocates: lifetime (CLV), referral (CRV) and engagement value (CEV)" % TOP,
               sql, size=(9, 3.6))
    ax = ch.axes
    names = ["clv", "crv", "cev"]
    for i, r in enumerate(rows):
        for k, n in enumerate(names):
            v = r[2 + k]
            (b,) = ax.bar(i - 0.27 + 0.27 * k, f(v) or 0.0, 0.27, color=COLOURS[k],
                          label=n.upper() if i == 0 else None)
            ch.mark(b, v, "customer %d: %s %s" % (r[0], n.upper(), v))
    bar_labels(ax, len(rows), ["%d\n(%d ref.)" % (r[0], r[1]) for r in rows])
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel("customer (referrals)")
    ax.set_ylabel("value (currency units, 10% a year)")
    ax.legend(frameon=False, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    if rows:
        clv0 = sum(1 for r in rows if not f(r[2]))
        ch.reading = ("The top advocate's referrals are worth %s; advocates here without purchase value "
                      "of their own: %d of %d." % (rows[0][3], clv0, len(rows)))
    return ch


def chart_community(cur):
    sql = """
SELECT c.community, c.month, f.factor, round(f.score::numeric, 3) AS score
FROM (SELECT community, month, state,
             lag(state) OVER (PARTITION BY community ORDER BY month) AS previous
      FROM bi.community_health) c,
     health_factors(c.state, (c.month + interval '1 month') - c.month, c.previous) f
WHERE c.month >= date '2025-11-01' AND f.score IS NOT NULL
ORDER BY 1, 2, 3;"""
    rows = query(cur, sql)
    comms = sorted(set(r[0] for r in rows))
    factors = ["growth", "content", "traffic", "responsiveness", "interactivity", "liveliness"]
    months = sorted(set(r[1] for r in rows))
    ch = Chart("community", "Community health: the six factors per community, scored 0 to 1", sql,
               size=(9, 2.8), ncols=max(1, len(comms)), sharey=True, squeeze=False)
    for k, cmn in enumerate(comms):
        ax = ch.axes[0][k]
        for d, fac in enumerate(factors):
            rs = [r for r in rows if r[0] == cmn and r[2] == fac]
            xs = [months.index(r[1]) for r in rs]
            ax.plot(xs, [f(r[3]) for r in rs], color=COLOURS[d], lw=1, label=fac if k == 0 else None)
            for r, x in zip(rs, xs):
                (pt,) = ax.plot([x], [f(r[3])], "o", ms=2.5, color=COLOURS[d])
                ch.mark(pt, r[3], "%s %s %s: %s" % (cmn, r[1].strftime("%Y-%m"), fac, r[3]))
        ax.set_title(cmn)
        ax.set_ylim(0, 1)
        ticks = [i for i in range(len(months)) if i % 3 == 0]
        ax.set_xticks(ticks, [months[i].strftime("%y-%m") for i in ticks], fontsize=7)
        ax.set_xlabel("month")
        if k == 0:
            ax.set_ylabel("factor score (0 to 1)")
    if comms:
        ch.fig.legend(frameon=False, ncols=6, loc="upper center", fontsize=7, bbox_to_anchor=(0.5, 0.02))
        last = months[-1]
        lows = sorted((r for r in rows if r[1] == last), key=lambda r: f(r[3]))
        ch.reading = ("In %s the weakest factor is %s's %s (%s)." %
                      (last.strftime("%B %Y"), lows[0][0], lows[0][2], lows[0][3]))
    return ch


def chart_prediction(cur):
    sql = """
SELECT predictor, buyers, others, auc, lower_95, upper_95
FROM bi.purchase_prediction
ORDER BY position;"""
    rows = query(cur, sql)
    ch = Chart("prediction", "Which score predicts an order in October 2026? AUC on customers as of 2026-10-01",
               sql, size=(8, 0.45 * len(rows) + 1.3))
    ax = ch.axes
    for i, r in enumerate(rows):
        (b,) = ax.barh(i, f(r[3]) - 0.5, left=0.5, color=COLOURS[0] if i < 2 else COLOURS[6])
        ch.mark(b, r[3], "%s: AUC %.3f (%.3f to %.3f)" % (r[0], f(r[3]), f(r[4]), f(r[5])))
        ax.plot([f(r[4]), f(r[5])], [i, i], color="#222", lw=1.2)
    bar_labels(ax, len(rows), ["%s\n(%d buyers, %d others)" % (r[0], r[1], r[2]) for r in rows], horizontal=True)
    ax.invert_yaxis()
    ax.axvline(0.5, color="#888", lw=0.8, ls="--")
    ax.set_xlim(0.3, 1.0)
    ax.set_xlabel("AUC (0.5: no better than chance; line: DeLong's 95% interval)")
    if rows:
        best = max(rows, key=lambda r: f(r[3]))
        ch.reading = ("The best predictor of an October order is the %s (AUC %.3f); the latest NPS answer scores %.3f."
                      % (best[0], f(best[3]), f(rows[2][3])) if len(rows) > 2 else "")
    return ch


CHARTS = [
    ("Net Promoter Score", [chart_nps]),
    ("Funnel and retention", [chart_funnel, chart_retention]),
    ("Engagement score", [chart_score_distribution, chart_score_factors]),
    ("Does engagement predict?", [chart_prediction]),
    ("Journeys and attribution", [chart_transitions, chart_attribution]),
    ("Predictive customer value", [chart_p_alive, chart_holdout, chart_predicted_clv]),
    ("Customer value of advocates", [chart_advocates]),
    ("Community", [chart_community]),
]

ESCALATIONS_SQL = """
SELECT community, thread_id, customer_id, answered_before, waiting_since_utc, waiting_hours
FROM bi.support_escalations
ORDER BY waiting_hours DESC, thread_id LIMIT %d;""" % TOP

CSS = """
body { font-family: sans-serif; max-width: 980px; margin: 1em auto; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 2em; }
figure { margin: 1.2em 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; }
p.reading { margin: 0.2em 0; }
details pre { background: #f5f5f5; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
p.error { color: #a00; }
table { border-collapse: collapse; font-size: 0.9em; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; } td.num { text-align: right; }
"""


def sql_block(sql):
    return "<details><summary>SQL</summary><pre><code>%s</code></pre></details>" % html.escape(sql)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: /usr/bin/python3 test/report.py OUTPUT.html")
    out = sys.argv[1]
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SET timezone = 'UTC'")
    counts = query(cur, "SELECT (SELECT count(*) FROM crm.customers), (SELECT count(*) FROM crm.touches)")[0]
    parts = ["<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
             "<title>Engagement report</title><style>%s</style></head><body>" % CSS,
             "<h1>Engagement report</h1>",
             "<p>The demo's CRM data: {:,} customers, {:,} touches, to 2026-10-31. Every chart reads the "
             "BI views of <code>test/bi_views.sql</code>; open \"SQL\" under a chart for its query.</p>"
             .format(*counts)]
    for section, charts in CHARTS:
        parts.append("<h2>%s</h2>" % html.escape(section))
        for make in charts:
            name = make.__name__
            try:
                ch = make(cur)
            except psycopg2.Error as e:
                plt.close("all")
                msg = (e.diag.message_primary or str(e)).strip().splitlines()[0]
                parts.append("<figure class=\"chart\" id=\"chart-%s\"><p class=\"error\">Not drawn: %s</p></figure>"
                             % (name[6:], html.escape(msg)))
                print("report.py: %s not drawn: %s" % (name, msg), file=sys.stderr)
                continue
            parts.append("<figure class=\"chart\" id=\"chart-%s\" data-marks=\"%d\">" % (ch.name, len(ch.marks)))
            parts.append("<figcaption>%s</figcaption>" % html.escape(ch.title))
            parts.append(ch.svg())
            parts.append("<p class=\"reading\">%s</p>" % html.escape(ch.reading))
            parts.append(sql_block(ch.sql))
            parts.append("</figure>")
    # the escalation queue: a table
    rows = query(cur, ESCALATIONS_SQL)
    parts.append("<h2>Support escalations</h2>")
    parts.append("<figure class=\"chart\" id=\"chart-escalations\" data-marks=\"%d\">" % len(rows))
    parts.append("<figcaption>Customers waiting over 24 hours for an answer (as of 2026-10-31), "
                 "longest first, top %d</figcaption>" % TOP)
    parts.append("<table id=\"table-escalations\"><tr><th>community</th><th>thread</th><th>customer</th>"
                 "<th>answered before</th><th>waiting since (UTC)</th><th>waiting (hours)</th></tr>")
    for i, r in enumerate(rows):
        parts.append("<tr id=\"escalations-mark-%d\" class=\"mark\" data-value=\"%s\"><td>%s</td><td class=\"num\">%d</td>"
                     "<td class=\"num\">%d</td><td>%s</td><td>%s</td><td class=\"num\">%s</td></tr>"
                     % (i, r[5], html.escape(r[0]), r[1], r[2], r[3], r[4], r[5]))
    parts.append("</table>")
    total = query(cur, "SELECT count(*) FROM bi.support_escalations")[0][0]
    parts.append("<p class=\"reading\">%d customers are waiting; the longest for %s hours.</p>"
                 % (total, rows[0][5]) if rows else "<p class=\"reading\">Nobody is waiting.</p>")
    parts.append(sql_block(ESCALATIONS_SQL))
    parts.append("</figure></body></html>\n")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(parts))
    conn.close()


if __name__ == "__main__":
    main()
