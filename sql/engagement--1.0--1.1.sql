/* engagement--1.0--1.1.sql: predictive customer value and community health */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION engagement UPDATE TO '1.1'" to load this file. \quit

--
-- Predictive customer value: BG/NBD and Gamma-Gamma models
--

CREATE TYPE bgnbd;

CREATE FUNCTION bgnbd_in(cstring) RETURNS bgnbd
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bgnbd_out(bgnbd) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bgnbd_recv(internal) RETURNS bgnbd
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bgnbd_send(bgnbd) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE bgnbd (
	INTERNALLENGTH = variable,
	INPUT = bgnbd_in,
	OUTPUT = bgnbd_out,
	RECEIVE = bgnbd_recv,
	SEND = bgnbd_send,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE bgnbd IS 'BG/NBD model of repeat purchases (Fader, Hardie and Lee 2005)';

CREATE TYPE gammagamma;

CREATE FUNCTION gammagamma_in(cstring) RETURNS gammagamma
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gammagamma_out(gammagamma) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gammagamma_recv(internal) RETURNS gammagamma
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gammagamma_send(gammagamma) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE gammagamma (
	INTERNALLENGTH = variable,
	INPUT = gammagamma_in,
	OUTPUT = gammagamma_out,
	RECEIVE = gammagamma_recv,
	SEND = gammagamma_send,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE gammagamma IS 'Gamma-Gamma model of spend per transaction (Fader, Hardie and Lee 2005)';

-- models from given parameters
CREATE FUNCTION bgnbd(r double precision, alpha double precision,
					  a double precision, b double precision) RETURNS bgnbd
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_make'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gammagamma(p double precision, q double precision,
						   gamma double precision) RETURNS gammagamma
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_make'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- fitting aggregates: the state gathers customers, the final function fits
CREATE FUNCTION bgnbd_fit_trans(internal, double precision, double precision,
								double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION bgnbd_fit_final(internal) RETURNS bgnbd
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION gammagamma_fit_trans(internal, double precision,
									 double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION gammagamma_fit_final(internal) RETURNS gammagamma
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION model_fit_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_pred_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION model_fit_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_pred_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION model_fit_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_pred_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE bgnbd_fit(frequency double precision, recency double precision,
						   age double precision) (
	SFUNC = bgnbd_fit_trans,
	STYPE = internal,
	FINALFUNC = bgnbd_fit_final,
	COMBINEFUNC = model_fit_combine,
	SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE bgnbd_fit(double precision, double precision, double precision)
	IS 'maximum-likelihood BG/NBD model of (frequency, recency, age) per customer';

CREATE AGGREGATE gammagamma_fit(frequency double precision, monetary double precision) (
	SFUNC = gammagamma_fit_trans,
	STYPE = internal,
	FINALFUNC = gammagamma_fit_final,
	COMBINEFUNC = model_fit_combine,
	SERIALFUNC = model_fit_serial,
	DESERIALFUNC = model_fit_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE gammagamma_fit(double precision, double precision)
	IS 'maximum-likelihood Gamma-Gamma model of (frequency, mean repeat spend) per customer';

-- accessors
CREATE FUNCTION parameters(bgnbd, OUT parameter text, OUT estimate double precision,
						   OUT std_error double precision) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_parameters'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;

CREATE FUNCTION parameters(gammagamma, OUT parameter text, OUT estimate double precision,
						   OUT std_error double precision) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_parameters'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 3;

CREATE FUNCTION log_likelihood(bgnbd) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_loglik'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION log_likelihood(gammagamma) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_loglik'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION customers(bgnbd) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_customers'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION customers(gammagamma) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_customers'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- BG/NBD predictions (times in the unit of the fit)
CREATE FUNCTION bgnbd_log_likelihood(model bgnbd, frequency double precision,
									 recency double precision, age double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_loglik_customer'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bgnbd_expected(model bgnbd, t double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_expected'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bgnbd_expected(model bgnbd, t double precision, frequency double precision,
							   recency double precision, age double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_expected_customer'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bgnbd_p_alive(model bgnbd, frequency double precision,
							  recency double precision, age double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_p_alive'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bgnbd_probability(model bgnbd, t double precision,
								  purchases double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_bgnbd_probability'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Gamma-Gamma predictions
CREATE FUNCTION gammagamma_log_likelihood(model gammagamma, frequency double precision,
										  monetary double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_loglik_customer'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gammagamma_expected_spend(model gammagamma) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_mean'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gammagamma_expected_spend(model gammagamma, frequency double precision,
										  monetary double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_gammagamma_expected_spend'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION predicted_clv(purchases bgnbd, spend gammagamma,
							  frequency double precision, recency double precision,
							  age double precision, monetary double precision,
							  periods integer, period_length double precision,
							  discount_rate double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_predicted_clv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

--
-- Community health
--

CREATE TYPE community_health;

CREATE FUNCTION community_health_in(cstring) RETURNS community_health
	AS 'MODULE_PATHNAME', 'engagement_community_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION community_health_out(community_health) RETURNS cstring
	AS 'MODULE_PATHNAME', 'engagement_community_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION community_health_recv(internal) RETURNS community_health
	AS 'MODULE_PATHNAME', 'engagement_community_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION community_health_send(community_health) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_community_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE community_health (
	INTERNALLENGTH = variable,
	INPUT = community_health_in,
	OUTPUT = community_health_out,
	RECEIVE = community_health_recv,
	SEND = community_health_send,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE community_health IS 'community posts per thread and author, for the community health factors';

CREATE FUNCTION community_trans(internal, bigint, bigint, timestamptz, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_community_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION community_trans(internal, bigint, bigint, timestamptz, boolean, bigint) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_community_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION community_trans(internal, bigint, bigint, timestamptz, boolean, bigint,
								double precision) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_community_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION community_rollup_trans(internal, community_health) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_community_rollup_trans'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION community_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_community_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION community_serial(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'engagement_community_serial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION community_deserial(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'engagement_community_deserial'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION community_final(internal) RETURNS community_health
	AS 'MODULE_PATHNAME', 'engagement_community_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE community_agg(thread_id bigint, author_id bigint, posted_at timestamptz,
							   starts_thread boolean) (
	SFUNC = community_trans,
	STYPE = internal,
	FINALFUNC = community_final,
	COMBINEFUNC = community_combine,
	SERIALFUNC = community_serial,
	DESERIALFUNC = community_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE community_agg(thread_id bigint, author_id bigint, posted_at timestamptz,
							   starts_thread boolean, views bigint) (
	SFUNC = community_trans,
	STYPE = internal,
	FINALFUNC = community_final,
	COMBINEFUNC = community_combine,
	SERIALFUNC = community_serial,
	DESERIALFUNC = community_deserial,
	PARALLEL = SAFE
);

CREATE AGGREGATE community_agg(thread_id bigint, author_id bigint, posted_at timestamptz,
							   starts_thread boolean, views bigint, sentiment double precision) (
	SFUNC = community_trans,
	STYPE = internal,
	FINALFUNC = community_final,
	COMBINEFUNC = community_combine,
	SERIALFUNC = community_serial,
	DESERIALFUNC = community_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE community_agg(bigint, bigint, timestamptz, boolean)
	IS 'community health state of posts (thread, author, time, starts the thread)';
COMMENT ON AGGREGATE community_agg(bigint, bigint, timestamptz, boolean, bigint)
	IS 'community health state of posts (thread, author, time, starts the thread, views)';
COMMENT ON AGGREGATE community_agg(bigint, bigint, timestamptz, boolean, bigint, double precision)
	IS 'community health state of posts (thread, author, time, starts the thread, views, sentiment)';

CREATE AGGREGATE rollup(community_health) (
	SFUNC = community_rollup_trans,
	STYPE = internal,
	FINALFUNC = community_final,
	COMBINEFUNC = community_combine,
	SERIALFUNC = community_serial,
	DESERIALFUNC = community_deserial,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(community_health) IS 'merge community health states';

CREATE FUNCTION posts(community_health) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_community_posts'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION threads(community_health) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_community_threads'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION members(community_health) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_community_members'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION views(community_health) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_community_views'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION answered_threads(community_health) RETURNS bigint
	AS 'MODULE_PATHNAME', 'engagement_community_answered'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION first_reply_time(community_health) RETURNS interval
	AS 'MODULE_PATHNAME', 'engagement_community_first_reply'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION response_gap(community_health) RETURNS interval
	AS 'MODULE_PATHNAME', 'engagement_community_response_gap'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION interactivity(community_health) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_community_interactivity'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION content(community_health) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_community_content'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION liveliness(community_health, period interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_community_liveliness'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION traffic(community_health, period interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_community_traffic'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION growth(community_health, previous community_health) RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_community_growth'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION community_health_index(community_health, period interval,
									   previous community_health DEFAULT NULL,
									   member_growth double precision DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'engagement_community_index'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION health_factors(community_health, period interval,
							   previous community_health DEFAULT NULL,
							   member_growth double precision DEFAULT NULL,
							   OUT factor text, OUT value double precision,
							   OUT score double precision) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_community_factors'
	LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 6;

CREATE FUNCTION unanswered_threads(community_health, as_of timestamptz, threshold interval,
								   OUT thread_id bigint, OUT author_id bigint,
								   OUT started_at timestamptz, OUT waiting interval,
								   OUT posts bigint) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_community_unanswered'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION escalations(community_health, as_of timestamptz, threshold interval,
							sentiment_below double precision DEFAULT NULL,
							OUT thread_id bigint, OUT customer_id bigint,
							OUT started_at timestamptz, OUT waiting_since timestamptz,
							OUT waiting interval, OUT answered boolean,
							OUT sentiment double precision, OUT reason text)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'engagement_community_escalations'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
