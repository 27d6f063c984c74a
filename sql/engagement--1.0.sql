/* engagement--1.0.sql: customer-engagement analytics */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION engagement" to load this file. \quit

--
-- Net Promoter Score
--

CREATE TYPE npsagg;

CREATE FUNCTION npsagg_in(cstring) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_npsagg_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION npsagg_out(npsagg) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_npsagg_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION npsagg_recv(internal) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_npsagg_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION npsagg_send(npsagg) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_npsagg_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE npsagg (
	INTERNALLENGTH = variable,
	INPUT = npsagg_in,
	OUTPUT = npsagg_out,
	RECEIVE = npsagg_recv,
	SEND = npsagg_send,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE npsagg IS 'Net Promoter Score state: response counts per category, with survey weights when weighted';

-- aggregate support functions (not meant to be called directly)

CREATE FUNCTION nps_trans(npsagg, integer) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_inv(npsagg, integer) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_inv'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_wtrans(npsagg, integer, double precision) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_wtrans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_combine(npsagg, npsagg) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_combine'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_rollup_trans(npsagg, npsagg) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_rollup_inv(npsagg, npsagg) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_rollup_inv'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_final(npsagg) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_nps_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION nps_agg_final(npsagg) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_nps_agg_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE nps(integer) (
	SFUNC = nps_trans,
	STYPE = npsagg,
	SSPACE = 64,
	FINALFUNC = nps_final,
	COMBINEFUNC = nps_combine,
	MSFUNC = nps_trans,
	MINVFUNC = nps_inv,
	MSTYPE = npsagg,
	MSSPACE = 64,
	MFINALFUNC = nps_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE nps(integer) IS 'Net Promoter Score (-100..100) of 0..10 answers';

CREATE AGGREGATE nps_agg(integer) (
	SFUNC = nps_trans,
	STYPE = npsagg,
	SSPACE = 64,
	FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine,
	MSFUNC = nps_trans,
	MINVFUNC = nps_inv,
	MSTYPE = npsagg,
	MSSPACE = 64,
	MFINALFUNC = nps_agg_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE nps_agg(integer) IS 'Net Promoter Score state of 0..10 answers';

CREATE AGGREGATE nps_agg(integer, double precision) (
	SFUNC = nps_wtrans,
	STYPE = npsagg,
	SSPACE = 64,
	FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE nps_agg(integer, double precision) IS 'Net Promoter Score state of 0..10 answers with survey weights';

CREATE AGGREGATE rollup(npsagg) (
	SFUNC = nps_rollup_trans,
	STYPE = npsagg,
	SSPACE = 64,
	FINALFUNC = nps_agg_final,
	COMBINEFUNC = nps_combine,
	MSFUNC = nps_rollup_trans,
	MINVFUNC = nps_rollup_inv,
	MSTYPE = npsagg,
	MSSPACE = 64,
	MFINALFUNC = nps_agg_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(npsagg) IS 'merge Net Promoter Score states';

CREATE FUNCTION npsagg_add(npsagg, npsagg) RETURNS npsagg
	AS 'MODULE_PATHNAME', 'engagement_npsagg_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR + (
	LEFTARG = npsagg,
	RIGHTARG = npsagg,
	FUNCTION = npsagg_add,
	COMMUTATOR = +
);

-- accessors

CREATE FUNCTION nps(npsagg) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_nps'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION promoters(npsagg) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_npsagg_promoters'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION passives(npsagg) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_npsagg_passives'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION detractors(npsagg) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_npsagg_detractors'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION responses(npsagg) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_npsagg_responses'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION effective_responses(npsagg) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_effective_responses'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_stderr(npsagg) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_stderr'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_margin(npsagg, confidence double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_margin'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_lower(npsagg, confidence double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_lower'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_upper(npsagg, confidence double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_npsagg_upper'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION nps_compare(a npsagg, b npsagg,
							OUT difference double precision,
							OUT z double precision,
							OUT p_value double precision)
	AS 'MODULE_PATHNAME', 'engagement_nps_compare'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

--
-- Multichannel journeys and sessions
--

CREATE FUNCTION session_number(ts timestamptz, gap interval) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_session_number'
	LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION session_number(timestamptz, interval) IS '1-based session index: a new session starts when the time since the previous row exceeds gap';

CREATE FUNCTION session_number(ts timestamptz, gap interval, max_length interval)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_session_number_max'
	LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION session_number(timestamptz, interval, interval) IS '1-based session index with an inactivity gap and a maximum session length';

CREATE TYPE journey;

CREATE FUNCTION journey_in(cstring) RETURNS journey
	AS 'MODULE_PATHNAME', 'engagement_journey_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION journey_out(journey) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_journey_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION journey_recv(internal) RETURNS journey
	AS 'MODULE_PATHNAME', 'engagement_journey_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION journey_send(journey) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_journey_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE journey (
	INTERNALLENGTH = variable,
	INPUT = journey_in,
	OUTPUT = journey_out,
	RECEIVE = journey_recv,
	SEND = journey_send,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE journey IS 'a customer''s touches in time order: channels and events dictionary-encoded, times delta-encoded';

CREATE FUNCTION journey_trans(internal, timestamptz, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_journey_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION journey_trans(internal, timestamptz, text, text) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_journey_trans_event'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION journey_rollup_trans(internal, journey) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_journey_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION journey_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_journey_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION journey_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_journey_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION journey_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_journey_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION journey_final(internal) RETURNS journey
	AS 'MODULE_PATHNAME', 'engagement_journey_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE journey_agg(ts timestamptz, channel text) (
	SFUNC = journey_trans,
	STYPE = internal,
	FINALFUNC = journey_final,
	COMBINEFUNC = journey_combine,
	SERIALFUNC = journey_serial,
	DESERIALFUNC = journey_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE journey_agg(timestamptz, text) IS 'the journey of (time, channel) touches';

CREATE AGGREGATE journey_agg(ts timestamptz, channel text, event text) (
	SFUNC = journey_trans,
	STYPE = internal,
	FINALFUNC = journey_final,
	COMBINEFUNC = journey_combine,
	SERIALFUNC = journey_serial,
	DESERIALFUNC = journey_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE journey_agg(timestamptz, text, text) IS 'the journey of (time, channel, event) touches';

CREATE AGGREGATE rollup(journey) (
	SFUNC = journey_rollup_trans,
	STYPE = internal,
	FINALFUNC = journey_final,
	COMBINEFUNC = journey_combine,
	SERIALFUNC = journey_serial,
	DESERIALFUNC = journey_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(journey) IS 'merge journeys';

CREATE FUNCTION touches(journey) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_journey_touches'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION first_touch(journey) RETURNS text
	AS 'MODULE_PATHNAME', 'engagement_journey_first_touch'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION last_touch(journey) RETURNS text
	AS 'MODULE_PATHNAME', 'engagement_journey_last_touch'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION first_touch_at(journey) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'engagement_journey_first_ts'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION last_touch_at(journey) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'engagement_journey_last_ts'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION channel_path(journey, collapse_repeats boolean DEFAULT true)
	RETURNS text[]
	AS 'MODULE_PATHNAME', 'engagement_journey_channel_path'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION channel_switches(journey) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_journey_channel_switches'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION session_count(journey, gap interval) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_journey_session_count'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION sessions(journey, gap interval,
						 split_on_channel boolean DEFAULT false,
						 OUT session integer,
						 OUT started timestamptz,
						 OUT ended timestamptz,
						 OUT touches integer,
						 OUT channels text[],
						 OUT entry_channel text,
						 OUT exit_channel text)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_journey_sessions'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

CREATE FUNCTION channel_transitions(journey,
									OUT from_channel text,
									OUT to_channel text,
									OUT n bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_journey_channel_transitions'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

--
-- Customer value: present value, CLV, CRV, CEV
--

CREATE FUNCTION pv_trans(double precision, double precision, timestamptz,
						 timestamptz, double precision, interval)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_pv_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE present_value(amount double precision, at timestamptz,
							   as_of timestamptz, rate double precision,
							   period interval) (
	SFUNC = pv_trans,
	STYPE = double precision,
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE present_value(double precision, timestamptz, timestamptz, double precision, interval) IS 'sum of amount / (1 + rate)^((at - as_of) / period)';

CREATE FUNCTION pv_trans_year(double precision, double precision, timestamptz,
							  timestamptz, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_pv_trans_year'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE present_value(amount double precision, at timestamptz,
							   as_of timestamptz, rate double precision) (
	SFUNC = pv_trans_year,
	STYPE = double precision,
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE present_value(double precision, timestamptz, timestamptz, double precision) IS 'sum of amount / (1 + rate)^((at - as_of) / 1 year)';

CREATE FUNCTION clv_trans(double precision, double precision, double precision,
						  timestamptz, timestamptz, double precision, interval)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_clv_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE clv(margin double precision, marketing_cost double precision,
					 at timestamptz, as_of timestamptz, rate double precision,
					 period interval) (
	SFUNC = clv_trans,
	STYPE = double precision,
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE clv(double precision, double precision, timestamptz, timestamptz, double precision, interval) IS 'Kumar''s customer lifetime value: sum of (margin - marketing_cost) discounted';

CREATE FUNCTION clv_trans(double precision, double precision, double precision,
						  timestamptz, timestamptz, double precision, interval,
						  double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_clv_trans_p'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE clv(margin double precision, marketing_cost double precision,
					 at timestamptz, as_of timestamptz, rate double precision,
					 period interval, p_buy double precision) (
	SFUNC = clv_trans,
	STYPE = double precision,
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE clv(double precision, double precision, timestamptz, timestamptz, double precision, interval, double precision) IS 'Kumar''s customer lifetime value: sum of (p_buy * margin - marketing_cost) discounted';

CREATE FUNCTION crv_trans(double precision, anyelement, boolean, double precision,
						  double precision, double precision, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv_agg(referee anyelement, would_have_joined boolean,
						 margin_value double precision, reward double precision,
						 retention_cost double precision,
						 acquisition_cost double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE crv_agg(anyelement, boolean, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value of a referrer: one row per referred customer';

CREATE FUNCTION crv_trans(double precision, anyelement, boolean, double precision,
						  double precision, double precision, double precision,
						  double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_crv_trans_p'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE crv_agg(referee anyelement, would_have_joined boolean,
						 margin_value double precision, reward double precision,
						 retention_cost double precision,
						 acquisition_cost double precision,
						 p_join_anyway double precision) (
	SFUNC = crv_trans,
	STYPE = double precision,
	INITCOND = '0',
	COMBINEFUNC = pg_catalog.float8pl,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE crv_agg(anyelement, boolean, double precision, double precision, double precision, double precision, double precision) IS 'Kumar''s customer referral value; unknown referrals weighted by the probability of joining anyway';

CREATE FUNCTION cev(clv double precision, crv double precision,
					civ double precision DEFAULT NULL,
					ckv double precision DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_cev'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION cev(double precision, double precision, double precision, double precision) IS 'customer engagement value CLV + CRV + CIV + CKV (NULL parts count as 0)';

--
-- Funnels and retention
--

CREATE TYPE funnel;

CREATE FUNCTION funnel_in(cstring) RETURNS funnel
	AS 'MODULE_PATHNAME', 'engagement_funnel_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_out(funnel) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_funnel_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_recv(internal) RETURNS funnel
	AS 'MODULE_PATHNAME', 'engagement_funnel_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_send(funnel) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_funnel_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE funnel (
	INTERNALLENGTH = variable,
	INPUT = funnel_in,
	OUTPUT = funnel_out,
	RECEIVE = funnel_recv,
	SEND = funnel_send,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE funnel IS 'a group''s funnel events (time, step) with the window and mode';

CREATE FUNCTION funnel_trans(internal, interval, timestamptz, boolean[])
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_trans(internal, interval, text, timestamptz, boolean[])
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_trans_mode'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_rollup_trans(internal, funnel) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_funnel_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_funnel_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION window_funnel_final(internal) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_window_funnel_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_final(internal) RETURNS funnel
	AS 'MODULE_PATHNAME', 'engagement_funnel_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(window_length interval, ts timestamptz,
							   VARIADIC steps boolean[]) (
	SFUNC = funnel_trans,
	STYPE = internal,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamptz, boolean[]) IS 'deepest funnel step reached within the window from step 1 (ClickHouse windowFunnel)';

CREATE AGGREGATE window_funnel(window_length interval, mode text, ts timestamptz,
							   VARIADIC steps boolean[]) (
	SFUNC = funnel_trans,
	STYPE = internal,
	FINALFUNC = window_funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, text, timestamptz, boolean[]) IS 'deepest funnel step reached, with modes strict_order, strict_deduplication, strict_increase, allow_reentry';

CREATE AGGREGATE funnel_agg(window_length interval, ts timestamptz,
							VARIADIC steps boolean[]) (
	SFUNC = funnel_trans,
	STYPE = internal,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE funnel_agg(interval, timestamptz, boolean[]) IS 'funnel state: step events with window and mode';

CREATE AGGREGATE funnel_agg(window_length interval, mode text, ts timestamptz,
							VARIADIC steps boolean[]) (
	SFUNC = funnel_trans,
	STYPE = internal,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE funnel_agg(interval, text, timestamptz, boolean[]) IS 'funnel state with a mode';

CREATE AGGREGATE rollup(funnel) (
	SFUNC = funnel_rollup_trans,
	STYPE = internal,
	FINALFUNC = funnel_final,
	COMBINEFUNC = funnel_combine,
	SERIALFUNC = funnel_serial,
	DESERIALFUNC = funnel_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(funnel) IS 'merge funnels with the same window, mode and steps';

CREATE FUNCTION deepest_step(funnel) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_funnel_deepest_step'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_steps(funnel) RETURNS integer
	AS 'MODULE_PATHNAME', 'engagement_funnel_steps'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION step_reached(funnel) RETURNS boolean[]
	AS 'MODULE_PATHNAME', 'engagement_funnel_step_reached'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION step_times(funnel) RETURNS timestamptz[]
	AS 'MODULE_PATHNAME', 'engagement_funnel_step_times'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION time_to_convert(funnel) RETURNS interval
	AS 'MODULE_PATHNAME', 'engagement_funnel_time_to_convert'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION retention_trans(bigint, boolean[]) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION retention_combine(bigint, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_retention_combine'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION retention_final(bigint) RETURNS boolean[]
	AS 'MODULE_PATHNAME', 'engagement_retention_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE retention(VARIADIC conditions boolean[]) (
	SFUNC = retention_trans,
	STYPE = bigint,
	FINALFUNC = retention_final,
	COMBINEFUNC = retention_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE retention(boolean[]) IS '[c1, c1 AND c2, ..., c1 AND cN] over the group (ClickHouse retention)';

--
-- Attribution
--

CREATE FUNCTION attribution(j journey, model text DEFAULT 'linear',
							half_life interval DEFAULT '7 days',
							OUT channel text, OUT credit double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_attribution'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;

COMMENT ON FUNCTION attribution(journey, text, interval) IS 'rule-based credit per channel of a converting journey (first_touch, last_touch, linear, time_decay, position_based); credits sum to 1';

CREATE FUNCTION attribution(j journey, model text, half_life interval,
							converted_at timestamptz,
							OUT channel text, OUT credit double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_attribution_at'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;

COMMENT ON FUNCTION attribution(journey, text, interval, timestamptz) IS 'rule-based credit per channel of the touches up to the conversion time';

CREATE TYPE markov_model;

CREATE FUNCTION markov_model_in(cstring) RETURNS markov_model
	AS 'MODULE_PATHNAME', 'engagement_markov_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION markov_model_out(markov_model) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_markov_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION markov_model_recv(internal) RETURNS markov_model
	AS 'MODULE_PATHNAME', 'engagement_markov_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION markov_model_send(markov_model) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_markov_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE markov_model (
	INTERNALLENGTH = variable,
	INPUT = markov_model_in,
	OUTPUT = markov_model_out,
	RECEIVE = markov_model_recv,
	SEND = markov_model_send,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE markov_model IS 'first-order channel transition counts with conversions and values, for exact removal effects';

CREATE FUNCTION markov_trans(internal, text[], bigint, bigint) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_markov_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION markov_trans(internal, text[], bigint, bigint, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_markov_trans_value'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION markov_rollup_trans(internal, markov_model) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_markov_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION markov_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_markov_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION markov_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_markov_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION markov_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_markov_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION markov_final(internal) RETURNS markov_model
	AS 'MODULE_PATHNAME', 'engagement_markov_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE markov_agg(path text[], conversions bigint, non_conversions bigint) (
	SFUNC = markov_trans,
	STYPE = internal,
	FINALFUNC = markov_final,
	COMBINEFUNC = markov_combine,
	SERIALFUNC = markov_serial,
	DESERIALFUNC = markov_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE markov_agg(text[], bigint, bigint) IS 'first-order Markov attribution model of channel paths';

CREATE AGGREGATE markov_agg(path text[], conversions bigint, non_conversions bigint,
							conversion_value double precision) (
	SFUNC = markov_trans,
	STYPE = internal,
	FINALFUNC = markov_final,
	COMBINEFUNC = markov_combine,
	SERIALFUNC = markov_serial,
	DESERIALFUNC = markov_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE markov_agg(text[], bigint, bigint, double precision) IS 'first-order Markov attribution model of channel paths with conversion values';

CREATE AGGREGATE rollup(markov_model) (
	SFUNC = markov_rollup_trans,
	STYPE = internal,
	FINALFUNC = markov_final,
	COMBINEFUNC = markov_combine,
	SERIALFUNC = markov_serial,
	DESERIALFUNC = markov_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(markov_model) IS 'merge Markov attribution models';

CREATE FUNCTION conversion_probability(markov_model) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_markov_p_conversion'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION removal_effects(markov_model,
								OUT channel text,
								OUT removal_effect double precision,
								OUT share double precision,
								OUT conversions double precision,
								OUT value double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_removal_effects'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

--
-- Engagement score (Forrester's four I's, time-decayed) and RFM
--

CREATE TYPE engagement_dimension AS ENUM ('involvement', 'interaction', 'intimacy', 'influence');

CREATE TYPE engagement;

CREATE FUNCTION engagement_in(cstring) RETURNS engagement
	AS 'MODULE_PATHNAME', 'engagement_engagement_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION engagement_out(engagement) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_engagement_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION engagement_recv(internal) RETURNS engagement
	AS 'MODULE_PATHNAME', 'engagement_engagement_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION engagement_send(engagement) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_engagement_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE engagement (
	INTERNALLENGTH = variable,
	INPUT = engagement_in,
	OUTPUT = engagement_out,
	RECEIVE = engagement_recv,
	SEND = engagement_send,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE engagement IS 'decayed sums and counts of the four engagement dimensions, anchored at the last event';

CREATE FUNCTION engagement_trans(engagement, timestamptz, engagement_dimension,
								 double precision, interval)
	RETURNS engagement
	AS 'MODULE_PATHNAME', 'engagement_engagement_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION engagement_combine(engagement, engagement) RETURNS engagement
	AS 'MODULE_PATHNAME', 'engagement_engagement_combine'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION engagement_rollup_trans(engagement, engagement) RETURNS engagement
	AS 'MODULE_PATHNAME', 'engagement_engagement_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION engagement_final(engagement) RETURNS engagement
	AS 'MODULE_PATHNAME', 'engagement_engagement_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE engagement_agg(ts timestamptz, dimension engagement_dimension,
								value double precision, half_life interval) (
	SFUNC = engagement_trans,
	STYPE = engagement,
	SSPACE = 128,
	FINALFUNC = engagement_final,
	COMBINEFUNC = engagement_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE engagement_agg(timestamptz, engagement_dimension, double precision, interval) IS 'exponentially decayed engagement per dimension';

CREATE AGGREGATE rollup(engagement) (
	SFUNC = engagement_rollup_trans,
	STYPE = engagement,
	SSPACE = 128,
	FINALFUNC = engagement_final,
	COMBINEFUNC = engagement_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(engagement) IS 'merge engagement states with the same half-life';

CREATE FUNCTION involvement(e engagement, as_of timestamptz) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_involvement'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION interaction(e engagement, as_of timestamptz) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_interaction'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION intimacy(e engagement, as_of timestamptz) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_intimacy'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION influence(e engagement, as_of timestamptz) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_influence'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION last_seen(engagement) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'engagement_last_seen'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION first_seen(engagement) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'engagement_first_seen'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION events(engagement) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_events'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION engagement_score(e engagement, as_of timestamptz,
								 weights double precision[] DEFAULT '{1,1,1,1}',
								 scale double precision DEFAULT 10)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_score'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION engagement_explain(e engagement, as_of timestamptz,
								   weights double precision[] DEFAULT '{1,1,1,1}',
								   scale double precision DEFAULT 10,
								   OUT dimension engagement_dimension,
								   OUT decayed_value double precision,
								   OUT weight double precision,
								   OUT contribution double precision,
								   OUT events bigint,
								   OUT last_seen timestamptz)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_explain'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;

CREATE TYPE rfm;

CREATE FUNCTION rfm_in(cstring) RETURNS rfm
	AS 'MODULE_PATHNAME', 'engagement_rfm_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION rfm_out(rfm) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_rfm_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION rfm_recv(internal) RETURNS rfm
	AS 'MODULE_PATHNAME', 'engagement_rfm_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION rfm_send(rfm) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_rfm_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rfm (
	INTERNALLENGTH = variable,
	INPUT = rfm_in,
	OUTPUT = rfm_out,
	RECEIVE = rfm_recv,
	SEND = rfm_send,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE rfm IS 'a customer''s purchase days and amounts, for recency, frequency, monetary value';

CREATE FUNCTION rfm_trans(internal, timestamptz, double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_rfm_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION rfm_rollup_trans(internal, rfm) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_rfm_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION rfm_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_rfm_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION rfm_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_rfm_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION rfm_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_rfm_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION rfm_final(internal) RETURNS rfm
	AS 'MODULE_PATHNAME', 'engagement_rfm_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE rfm_agg(ts timestamptz, amount double precision) (
	SFUNC = rfm_trans,
	STYPE = internal,
	FINALFUNC = rfm_final,
	COMBINEFUNC = rfm_combine,
	SERIALFUNC = rfm_serial,
	DESERIALFUNC = rfm_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rfm_agg(timestamptz, double precision) IS 'RFM summary of purchases (lifetimes definitions, daily periods)';

CREATE AGGREGATE rollup(rfm) (
	SFUNC = rfm_rollup_trans,
	STYPE = internal,
	FINALFUNC = rfm_final,
	COMBINEFUNC = rfm_combine,
	SERIALFUNC = rfm_serial,
	DESERIALFUNC = rfm_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(rfm) IS 'merge RFM states';

CREATE FUNCTION frequency(rfm) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_rfm_frequency'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION recency(rfm, unit interval DEFAULT '1 day') RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_rfm_recency'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- no DEFAULT for unit: a two-argument age(rfm, timestamptz) would make the
-- built-in age('2026-01-01', '2025-01-01') ambiguous
CREATE FUNCTION age(rfm, as_of timestamptz, unit interval)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_rfm_age'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION monetary(rfm) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_rfm_monetary'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION shapley_values(paths text[], conversions bigint[], non_conversions bigint[],
							   characteristic text DEFAULT 'conversion_rate',
							   sep text DEFAULT ' > ',
							   OUT channel text,
							   OUT shapley_value double precision,
							   OUT share double precision,
							   OUT conversions double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_shapley_values'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;

COMMENT ON FUNCTION shapley_values(text[], bigint[], bigint[], text, text) IS 'exact Shapley attribution over path summaries (at most 20 channels)';
