#!/usr/bin/env bash
# test/mutate.sh: mutation testing of the pg_regress suite (not run in CI).
#
#   bash test/mutate.sh            every mutant (about 10 minutes)
#   bash test/mutate.sh NAME...    only the named mutants
#
# Each mutant below plants one bug in a scratch copy of the sources (the
# copy test/lib.sh makes as root, or a copy in /tmp otherwise): it replaces
# one exact piece of code, which must occur exactly once, rebuilds, and runs
# the pg_regress files that should notice.  A mutant is "caught" when one of
# them fails, and "SURVIVED" otherwise; a mutant whose code is no longer
# found, or that does not compile, is a failure of this harness (the code
# moved: update the list).  Exits 1 unless every mutant is caught.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# name  file  tests  code  replacement   (tab-separated; \t and \n escapes)
MUTANTS=$(cat <<'EOF'
nps_six_is_passive	src/nps.c	nps	NPS_DETRACTOR, NPS_DETRACTOR, NPS_DETRACTOR,\n\tNPS_PASSIVE	NPS_DETRACTOR, NPS_DETRACTOR, NPS_PASSIVE,\n\tNPS_PASSIVE
nps_nine_is_passive	src/nps.c	nps	NPS_PASSIVE, NPS_PASSIVE,\n\tNPS_PROMOTER, NPS_PROMOTER	NPS_PASSIVE, NPS_PASSIVE,\n\tNPS_PASSIVE, NPS_PROMOTER
nps_null_score_counted	src/nps.c	nps	if (likely(!PG_ARGISNULL(1)))\n\t{\n\t\tint32\t\tscore = PG_GETARG_INT32(1);	if (true)\n\t{\n\t\tint32\t\tscore = PG_GETARG_INT32(1);
nps_variance_sign	src/nps.c	nps	pp + pd - (pp - pd) * (pp - pd)	pp + pd + (pp - pd) * (pp - pd)
nps_weight_squares	src/nps.c	nps	st->w2 += w * w;	st->w2 += w;
nps_merge_drops_squares	src/nps.c	nps	sum.w2 += tmp.w2;	sum.w2 += 0 * tmp.w2;
nps_inverse_keeps_score	src/nps.c	nps	st->n[cat]--;	st->n[cat] -= 0;
nps_send_weight_squares	src/nps.c	nps	pq_sendfloat8(&buf, st->w2);	pq_sendfloat8(&buf, st->w2 * 2);
journey_gap_exclusive	src/journey.c	journey	return (j->ts[i] - j->ts[i - 1] > gap) ||	return (j->ts[i] - j->ts[i - 1] >= gap) ||
journey_window_gap_exclusive	src/session.c	journey	return (uint64) to - (uint64) from > (uint64) limit;	return (uint64) to - (uint64) from >= (uint64) limit;
journey_switches_null_above_20	src/journey.c	journey	\t\t\tswitches++;\n\t}\n\tPG_RETURN_INT32(switches);	\t\t\tswitches++;\n\t}\n\tif (j.n > 20)\n\t\tPG_RETURN_NULL();\n\tPG_RETURN_INT32(switches);
journey_send_first_ts	src/journey.c	journey	pq_sendint64(buf, jd->first_ts);	pq_sendint64(buf, jd->first_ts + 1);
funnel_window_exclusive	src/funnel.c	funnel	bool\t\tin_window = (t - first <= s->window);	bool\t\tin_window = (t - first < s->window);
funnel_strict_increase_ties	src/funnel.c	funnel	!(s->chains[idx - 1][idx - 1] < t)	!(s->chains[idx - 1][idx - 1] <= t)
funnel_serial_window	src/funnel.c	funnel	pq_sendint64(buf, b->window);	pq_sendint64(buf, b->window + 1);
funnel_send_window	src/funnel.c	funnel	pq_sendint64(&buf, f->window);	pq_sendint64(&buf, f->window + 1);
funnel_arg_bits_shifted	src/conditions.h	funnel	bits |= ((uint32) 1) << i;\n\treturn bits;\n}\n\n#endif	bits |= ((uint32) 1) << (i % 7);\n\treturn bits;\n}\n\n#endif
funnel_array_bits_null_shift	src/conditions.h	funnel	\t\tif (*data != 0)\n\t\t\tbits |= ((uint32) 1) << i;\n\t\tdata++;	\t\tif (*data != 0)\n\t\t\tbits |= ((uint32) 1) << i;\n\t\tdata += 2;
funnel_order_not_tracked	src/funnel.c	funnel	\t\tb->unsorted = true;	\t\tb->unsorted = false;
funnel_inline_not_copied	src/funnel.c	funnel	memcpy(b->ev, b->inline_ev, sizeof(FEvent) * b->n);	memcpy(b->ev, b->inline_ev, sizeof(FEvent) * (b->n - 1));
retention_args_count	src/funnel.c	funnel	n = PG_NARGS() - 1;	n = PG_NARGS() - 2;
predict_by_row_tx_is_T	src/predict.c	predict	ltx = log(alpha + d->row_tx[i]);	ltx = log(alpha + d->row_T[i]);
predict_mbg_no_time0_term	src/predict.c	predict	if (x == 0.0 && !d->modified)	if (x == 0.0)
predict_mbg_p_alive_shift	src/predict.c	predict	Q[3] = P[3] + 1.0;	Q[3] = P[3];
predict_diagnostics_gradient_doubled	src/predict.c	predict	values[4] = Float8GetDatum(sqrt(gnorm));	values[4] = Float8GetDatum(2.0 * sqrt(gnorm));
predict_diagnostics_covariance_unscaled	src/predict.c	predict	COV(fit.cov, i, j) / wsum);	COV(fit.cov, i, j));
sequence_time_le_exclusive	src/sequence.c	sequence	\t\t\treturn dt <= e->usec;	\t\t\treturn dt < e->usec;
sequence_count_overlapping	src/sequence.c	sequence	start = (end == start) ? start + 1 : end;	start = start + 1;
sequence_nonevent_rows_kept	src/sequence.c	sequence	if (bits != 0)\n\t\tseq_push(b, ts, bits, aggcontext);	if (true)\n\t\tseq_push(b, ts, bits, aggcontext);
funnel_once_no_reassignment	src/funnel.c	sequence	if (o->match[k] == 0 || funnel_once_augment(o, skip, o->match[k]))	if (o->match[k] == 0)
predict_mbg_probability_no_time0	src/predict.c	predict	\t\tp += 1.0 / (1.0 + b / a);	\t\tp += 0.0 / (1.0 + b / a);
attribution_decay_sign	src/attribution.c	attribution	exp2(-((double) (j.ts[k - 1] - j.ts[i])) /	exp2(((double) (j.ts[k - 1] - j.ts[i])) /
attribution_position_middle	src/attribution.c	attribution	touch_credit[i] = 0.2 / (k - 2);	touch_credit[i] = 0.2 / k;
attribution_removal_unscaled	src/markov.c	attribution	re[c] = 1.0 - re[c] / p;	re[c] = 1.0 - re[c];
markov_trap_sqlstate	src/markov.c	attribution	errcode(ERRCODE_ENG_MODEL_FAILED),	errcode(ERRCODE_DATA_EXCEPTION),
markov_send_non_conversions	src/markov.c	attribution	pq_sendint64(buf, m->non_conversions);	pq_sendint64(buf, m->non_conversions + 1);
markov_order_holds_first_only	src/markov.c	markov_order	for (int i = 0; i < mk->order && MK_STATE(mk, state)[i] >= 0; i++)	for (int i = 0; i < 1 && MK_STATE(mk, state)[i] >= 0; i++)
markov_order_short_path_dropped	src/markov.c	markov_order	if (k > 1 && len < k && w != 0)	if (k > 1 && len < k - 1 && w != 0)
markov_order_window_unchecked	src/markov.c	markov_order	memcmp(a + 1, b, sizeof(int16) * (k - 1)) != 0)	memcmp(a + 1, b, sizeof(int16) * 0) != 0)
score_decay_sign	src/score.c	score	return exp2(-((double) dt) / (double) h);	return exp2(((double) dt) / (double) h);
score_composite_scale	src/score.c	score	100.0 * (1.0 - exp(-Max(*x, 0.0) / scale))	100.0 * (1.0 - exp(-Max(*x, 0.0) / (2 * scale)))
score_intimacy_one_refused	src/score.c	score	(v < -1.0 || v > 1.0)	(v < -1.0 || v >= 1.0)
rfm_frequency_counts_first	src/rfm.c	score	PG_RETURN_INT64(rfm_getarg(fcinfo, 0)->ndays - 1);	PG_RETURN_INT64(rfm_getarg(fcinfo, 0)->ndays);
rfm_monetary_mean	src/rfm.c	score	sum /= (r->ndays - 1);	sum /= r->ndays;
rfm_merge_same_day	src/rfm.c	score	r->days[k - 1].amount += b->days[i].amount;	r->days[k - 1].amount = b->days[i].amount;
calibration_cutoff_exclusive	src/calibration.c	calibration	b->rows[ncal].period <= b->cal_period	b->rows[ncal].period < b->cal_period
calibration_holdout_mean_per_period	src/calibration.c	calibration	eng_no_minus_zero(holdout_sum / (double) (b->n - ncal))	eng_no_minus_zero(holdout_sum / (double) holdout_periods)
calibration_weeks_from_saturday	src/calibration.c	calibration	#define CAL_ORIGIN\t\t\t(2 * USECS_PER_DAY)	#define CAL_ORIGIN\t\t\t(0 * USECS_PER_DAY)
calibration_holdout_duration	src/calibration.c	calibration	Float8GetDatum(duration),	Float8GetDatum(duration / 2),
calibration_histogram_no_tail	src/calibration.c	calibration	rest > 0.0 ? rest : 0.0	0.0
calibration_matrix_cells	src/calibration.c	calibration	if ((x == 0) != (r == 0))	if (x == 0 && r > 0)
value_discount_sign	src/value.c	value	return pow(1.0 + rate, -periods);	return pow(1.0 + rate, periods);
value_clv_probability	src/value.c	value	value_discounted(p * margin - cost,	value_discounted(p * (margin - cost),
value_crv_acquisition	src/value.c	value	type_one = margin - reward - retention + acquisition;	type_one = margin - reward - retention - acquisition;
predict_covariance_not_scaled	src/predict.c	predict	m->cov[i] = fit->cov[i] / wsum;	m->cov[i] = fit->cov[i];
predict_no_delta_method	src/predict.c	predict	return m->params[i] * sqrt(COV(m->cov, i, i));	return sqrt(COV(m->cov, i, i));
predict_loglik_per_customer	src/predict.c	predict	m->loglik = -fit->f * wsum;	m->loglik = -fit->f;
predict_p_alive_term	src/predict.c	predict	return exp(log(P[2]) - log(P[3] + (x - 1.0)) +	return exp(log(P[2]) - log(P[3] + x) +
predict_penalty_alpha_unscaled	src/predict.c	predict	const double scale[4] = {1.0, d->alpha_scale, 1.0, 1.0};	const double scale[4] = {1.0, 1.0, 1.0, 1.0};
predict_penalty_gradient_halved	src/predict.c	predict	grad[i] += 2.0 * c * v * v;	grad[i] += c * v * v;
predict_penalized_loglik_stored	src/predict.c	predict	if (*penalizer == 0.0)\n\t\treturn;\n\t*penalizer = 0.0;	return;\n\t*penalizer = 0.0;
predict_penalizer_not_serialized	src/predict.c	predict	pq_sendfloat8(buf, s->penalizer);	pq_sendfloat8(buf, s->penalizer * 2);
predict_integral_h_not_over_p	src/numerics.c	predict_grid	return log(-expm1(-exp(lsL))) - lp;	return log(-expm1(-exp(lsL)));
predict_integral_left_tail_cut	src/numerics.c	predict_grid	exp(ld + q->ls + q->lk - q->shn) / sl <= 1e-17 * n &&	exp(ld + q->ls + q->lk - q->shn) / sl <= 1e-1 * n &&
predict_probability_tail_weight	src/predict.c	predict predict_grid	p += exp(log(a) + pred_log_poch_ratio(b, a, x - 1.0) - log(a + b + (x - 1.0))) * tail;	p += exp(log(a) + pred_log_poch_ratio(b, a, x - 1.0) - log(a + b + x)) * tail;
community_starter_answers	src/community.c	community	if (d->r[k].author != t->starter->author)	if (d->r[k].author == d->r[k].author)
community_sentiment_at_threshold	src/community.c	community	t.starter->sentiment < sentiment_below;	t.starter->sentiment <= sentiment_below;
community_wait_exclusive	src/community.c	community	late = as_of - since >= threshold;	late = as_of - since > threshold;
community_unanswered_exclusive	src/community.c	community	as_of - t.starter->start_ts >= threshold)	as_of - t.starter->start_ts > threshold)
community_spoke_last_tie	src/community.c	community	if (answered && t.starter->last_ts <= t.others_last)	if (answered && t.starter->last_ts < t.others_last)
community_merge_sentiment	src/community.c	community	if (isnan(dst->sentiment) || src->sentiment < dst->sentiment)	if (isnan(dst->sentiment) || src->sentiment > dst->sentiment)
bgbb_dead_term_ratio	src/bgbb.c	bgbb	rho *= (beta + (tx - x + i)) / (alpha + beta + (tx + i)) *	rho *= (beta + (tx - x + i + 1.0)) / (alpha + beta + (tx + i)) *
bgbb_p_alive_at_n	src/bgbb.c	bgbb	p = exp(Min(lalive - ll, 0.0)) * ((P[3] + n) / (P[2] + P[3] + n));	p = exp(Min(lalive - ll, 0.0));
bgbb_gradient_gamma_sign	src/bgbb.c	bgbb	gT[2] -= 1.0 / gd;	gT[2] += 1.0 / gd;
bgbb_penalty_gradient_halved	src/bgbb.c	bgbb	grad[k] += 2.0 * d->penalizer * P[k] * P[k];	grad[k] += d->penalizer * P[k] * P[k];
bgbb_alive_sum_shifted	src/bgbb.c	bgbb	rho *= (delta + (m + k - 1.0)) / (gamma + delta + (m + k - 1.0));	rho *= (delta + (m + k)) / (gamma + delta + (m + k));
bgbb_serial_count	src/bgbb.c	bgbb	pq_sendint64(buf, s->rows[i].count);	pq_sendint64(buf, s->rows[i].count + 1);
bgbb_probability_binomial	src/bgbb.c	bgbb	v *= (i + 1.0) / (i + 1.0 - x) *	v *= (i + 1.0) / (i + 2.0 - x) *
bgbb_counts_ignored	src/bgbb.c	bgbb	d.w[k - 1] += (double) d.rows[i].count;	d.w[k - 1] += 1.0;
bgbb_covariance_not_scaled	src/bgbb.c	bgbb	result->cov[i] = eng_no_minus_zero(fit.cov[i] / d.wsum);	result->cov[i] = eng_no_minus_zero(fit.cov[i]);
bgbb_penalized_loglik_stored	src/bgbb.c	bgbb	d.penalizer = 0.0;	d.penalizer = d.penalizer;
nps_fpc_population_not_minus_one	src/nps.c	nps	return sqrt((double) (population - n) / (double) (population - 1));	return sqrt((double) (population - n) / (double) population);
nps_fpc_census_not_zero	src/nps.c	nps	if (population == n)\n\t\treturn 0.0;	if (population == n)\n\t\treturn 1.0;
journey_midnight_ignored	src/journey.c	journey	if (day != sp->day)\n\t\t\tsplit = true;	if (day != sp->day && false)\n\t\t\tsplit = true;
journey_engaged_duration_exclusive	src/journey.c	journey	j->ts[to - 1] - j->ts[from] >= sp->min_duration	j->ts[to - 1] - j->ts[from] > sp->min_duration
journey_conversion_ignored	src/journey.c	journey	if (j->ev[k] >= 0 && sp->conversion[j->ev[k]])	if (j->ev[k] >= 0 && sp->conversion[j->ev[k]] && false)
session_midnight_ignored	src/session.c	journey	(ctx->limits_known ? ctx->last_day :	(ctx->limits_known ? day :
session_source_null_is_no_change	src/session.c	journey	changed = (isnull != ctx->source_null);	changed = false;
pnbd_tail_bound_too_loose	src/pareto.c	paretonbd	0x1p-60 * S)	0x1p-20 * S)
pnbd_E_k_shifted	src/pareto.c	paretonbd	double\t\tt = c * (-expm1(-nk * l)) / nk;	double\t\tt = c * (-expm1(-(nk + 1.0) * l)) / nk;
pnbd_z_at_upper_end	src/pareto.c	paretonbd	double\t\tz = (M - m) / (M + u);	double\t\tz = (M - m) / (M + v);
pnbd_dead_term_without_s	src/pareto.c	paretonbd	&I0.logI))\n\t\t\treturn false;\n\t\tldead = log(s) + I0.logI;	&I0.logI))\n\t\t\treturn false;\n\t\tldead = I0.logI;
pnbd_gradient_alpha_sign	src/pareto.c	paretonbd	out->grad[1] -= pD * a * exp(Ia.logI - I0.logI);	out->grad[1] += pD * a * exp(Ia.logI - I0.logI);
pnbd_penalty_unscaled	src/pareto.c	paretonbd	{1.0, d->time_scale, 1.0, d->time_scale}	{1.0, 1.0, 1.0, 1.0}
pnbd_expectation_beta_not_T	src/pareto.c	paretonbd	pnbd_horizon_factor(P[2], P[3] + T, t));	pnbd_horizon_factor(P[2], P[3], t));
pnbd_covariance_not_scaled	src/pareto.c	paretonbd	result->cov[i] = eng_no_minus_zero(fit.cov[i] / d.wsum);	result->cov[i] = eng_no_minus_zero(fit.cov[i]);
pnbd_serial_drops_T	src/pareto.c	paretonbd	pq_sendfloat8(buf, s->rows[i].T);	pq_sendfloat8(buf, s->rows[i].tx);
pnbd_far_series_not_alternating	src/pareto.c	paretonbd	sum += (j % 2 == 0 ? 1.0 : -1.0) * exp(lt - lmax);	sum += exp(lt - lmax);
pnbd_far_rest_from_wrong_point	src/pareto.c	paretonbd	if (!pnbd_integral(a, b, alpha, beta, D * qs - m, v, max_terms, &hi))	if (!pnbd_integral(a, b, alpha, beta, D * qs, v, max_terms, &hi))
fract_no_floor	src/fractribution.c	fractribution	mc = Max(p - fract_rate_without(f, ix, i, k, h), 0.0);	mc = p - fract_rate_without(f, ix, i, k, h);
fract_fallback_first_touch	src/fractribution.c	fractribution	\t\t\t\t\tcredit[len - 1] = 1.0;\n\t\t\t\tbreak;	\t\t\t\t\tcredit[0] = 1.0;\n\t\t\t\tbreak;
fract_run_shortcut_zero	src/fractribution.c	fractribution	mc = credit[k - 1];	mc = 0.0;
fract_paren_kept	src/fractribution.c	fractribution	const char *paren = strchr(f->names[c], '(');	const char *paren = NULL;
fract_send_revenue	src/fractribution.c	fractribution	pq_sendfloat8(buf, paths[i].revenue);	pq_sendfloat8(buf, paths[i].revenue + 1);
fract_remove_all	src/fractribution.c	fractribution	if (tail == 0)\n\t\t\t\t\ttail = n;	if (tail == 0)\n\t\t\t\t\ttail = 0;
identity_size_inclusive	src/identity.c	identity	v->size[rb] > max_size)	v->size[rb] >= max_size)
identity_as_of_pairs_ignored	src/identity.c	identity	if (pairs[k].seen_at <= as_of)	if (true)
identity_first_seen_latest	src/identity.c	identity	else if (seen < b->first[i])	else if (seen > b->first[i])
identity_pair_time_latest	src/identity.c	identity	if (seen < e->seen_at)	if (seen > e->seen_at)
identity_priority_reversed	src/identity.c	identity	prank[i] < prank[c] ||	prank[i] > prank[c] ||
identity_never_merge_one_side	src/identity.c	identity	if (blocked[p->a] || blocked[p->b])	if (blocked[p->a])
identity_send_first_seen	src/identity.c	identity	pq_sendint64(&buf, g->ids[i].first_seen);	pq_sendint64(&buf, g->ids[i].first_seen + 1);
classifier_ties_count_zero	src/classifier.c	classifier	(2 * below + (uint64) c->rec[i].neg);	(2 * below);
classifier_delong_population_variance	src/classifier.c	classifier	s10 /= (long double) (t->pos - 1);	s10 /= (long double) t->pos;
classifier_log_loss_eps_1e15	src/classifier.c	classifier	p = Min(Max(p, CLS_LOG_LOSS_EPS), 1.0 - CLS_LOG_LOSS_EPS);	p = Min(Max(p, 1e-15), 1.0 - 1e-15);
classifier_lift_ties_not_shared	src/classifier.c	classifier	pos += (long double) c->rec[k].pos * (long double) take / (long double) run;	pos += (long double) c->rec[k].pos;
classifier_ci_plain_normal	src/classifier.c	classifier	lo = 1.0 / (1.0 + exp(-(l - h)));	lo = auc - z * se;
classifier_delong_below_not_advanced	src/classifier.c	classifier	below += (uint64) r->neg;	below += 0;
learn_penalty_gradient_sign	src/learn.c	learn	g[i] -= s->penalty * beta[i];	g[i] += s->penalty * beta[i];
learn_intercept_penalized	src/learn.c	learn	for (int i = 1; i < LOGIT_K; i++)	for (int i = 0; i < LOGIT_K; i++)
learn_hessian_off_diagonal_halved	src/learn.c	learn	h[i * (i + 1) / 2 + j] += w * x[i] * x[j];	h[i * (i + 1) / 2 + j] += w * x[i] * x[j] * (i == j ? 1.0 : 0.5);
learn_residual_sign	src/learn.c	learn	resid = row->y - p;	resid = p - row->y;
learn_complete_separation_unreported	src/learn.c	learn	if (ev->separated)	if (false)
learn_negative_weights_kept	src/learn.c	learn	m->coef[d + 1] > 0.0 ? m->coef[d + 1] : 0.0	m->coef[d + 1]
learn_serial_outcome_flipped	src/learn.c	learn	pq_sendbyte(buf, s->rows[i].y != 0.0 ? 1 : 0);	pq_sendbyte(buf, s->rows[i].y != 0.0 ? 0 : 1);
learn_wilson_wald	src/learn.c	learn	double\t\thalf = z * sqrt(p * (1.0 - p) / n + z2n / (4.0 * n));	double\t\thalf = z * sqrt(p * (1.0 - p) / n);
learn_eight_is_promoter	src/learn.c	learn	c = score <= 6 ? 0 : score <= 8 ? 1 : 2;	c = score <= 6 ? 0 : score <= 7 ? 1 : 2;
learn_converted_not_counted	src/learn.c	learn	nr_add_count(&f[2], (double) converted, "converted referral");	nr_add_count(&f[2], 0.0, "converted referral");
EOF
)

# as root: run as "postgres" on the copy eng_drop_root makes
[ "$(id -u)" -ne 0 ] || export ENG_MUTATE_COPY=1
eng_drop_root mutate.sh "$@"
if [ "$(id -u)" -ne 0 ] && [ -z "${ENG_MUTATE_COPY:-}" ]; then
	# never mutate a working checkout: run on a copy
	work="$(mktemp -d /tmp/engagement-mutate.XXXXXX)"
	(cd "$ENG_ROOT" && tar --exclude=./.git --exclude=./.stage -cf - .) | tar -C "$work" -xf -
	ENG_MUTATE_COPY=1 bash "$work/test/mutate.sh" "$@"
	rc=$?
	rm -rf "$work"
	exit "$rc"
fi

if [ "${1:-}" != "--inside" ]; then
	eng_build
	cd "$ENG_ROOT"
	export MUTANTS
	eng_virtualenv bash "$ENG_ROOT/test/mutate.sh" --inside "$@"
	exit $?
fi
shift
cd "$ENG_ROOT"

# apply FROM -> TO (escapes \t \n) to FILE when FROM occurs exactly once
apply_mutant() {
	perl -e '
		my ($file, $from, $to) = @ARGV;
		s/\\t/\t/g, s/\\n/\n/g for $from, $to;
		local $/;
		open(my $in, "<", $file) or die "$file: $!";
		my $code = <$in>;
		close $in;
		my $n = () = $code =~ /\Q$from\E/g;
		exit 3 unless $n == 1;
		$code =~ s/\Q$from\E/$to/;
		open(my $out, ">", $file) or die "$file: $!";
		print $out $code;
		close $out or die "$file: $!";' "$@"
}

rebuild() {
	make -s with_llvm=no WERROR=-Werror >/dev/null 2>&1 || return 1
	rm -f "$ENG_STAGE"/usr/lib/postgresql/*/lib/engagement.so
	make -s with_llvm=no install DESTDIR="$ENG_STAGE" >/dev/null 2>&1
}

caught=0
survived=0
broken=0
report=()
while IFS=$'\t' read -r name file tests from to; do
	[ -n "$name" ] || continue
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then
		continue
	fi
	cp "$file" "$file.orig"
	if ! apply_mutant "$file" "$from" "$to"; then
		result="HARNESS: mutation did not apply (code not found exactly once in $file)"
		broken=$((broken + 1))
	elif ! rebuild; then
		result="HARNESS: mutant does not compile"
		broken=$((broken + 1))
	else
		rm -f regression.diffs regression.out
		if make -s with_llvm=no installcheck REGRESS="$tests" TAP_TESTS= >/dev/null 2>&1; then
			result="SURVIVED ($tests)"
			survived=$((survived + 1))
		else
			failed=$(grep -E '^(not ok|test ).*FAILED|^not ok' regression.out 2>/dev/null |
				sed -E 's/^(not ok +[0-9]+ +- +|test +)([a-z_]+).*/\2/' | sort -u | paste -sd, -)
			result="caught by ${failed:-$tests}"
			caught=$((caught + 1))
		fi
	fi
	mv "$file.orig" "$file"
	touch "$file"
	printf '%-36s %s\n' "$name" "$result"
	report+=("$name: $result")
done <<<"$MUTANTS"

rebuild || true
total=$((caught + survived + broken))
printf '\n%d mutants: %d caught, %d survived, %d did not apply or compile\n' \
	"$total" "$caught" "$survived" "$broken"
[ "$survived" -eq 0 ] && [ "$broken" -eq 0 ] && [ "$total" -gt 0 ]
