/* engagement 1.1 -> 1.2 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION engagement UPDATE TO '1.2'" to load this file. \quit

/*
 * One naming rule (docs/naming.md): <thing>_agg builds a state whose type
 * is <thing> or <thing>_<noun>; accessors take the state first and carry no
 * type prefix, the same name meaning the same thing on every type; an
 * aggregate that returns a number is named after the number; rollup()
 * merges states in a query and + merges two of them.
 *
 * Every change is a rename: stored values, views, indexes and functions
 * that use these objects refer to them by OID and keep working (their
 * definitions show the new names).  No C symbol changes, so the 1.0 and 1.1
 * scripts still create their functions from this library.
 */

-- the NPS state: a type name without "agg"
ALTER TYPE npsagg RENAME TO nps_summary;
ALTER FUNCTION npsagg_in(cstring) RENAME TO nps_summary_in;
ALTER FUNCTION npsagg_out(nps_summary) RENAME TO nps_summary_out;
ALTER FUNCTION npsagg_recv(internal) RENAME TO nps_summary_recv;
ALTER FUNCTION npsagg_send(nps_summary) RENAME TO nps_summary_send;
ALTER FUNCTION npsagg_add(nps_summary, nps_summary) RENAME TO nps_summary_add;
ALTER FUNCTION nps_wtrans(nps_summary, integer, double precision) RENAME TO nps_trans;

-- NPS accessors
ALTER FUNCTION nps_stderr(nps_summary) RENAME TO std_error;
ALTER FUNCTION nps_margin(nps_summary, double precision) RENAME TO margin_of_error;
ALTER FUNCTION nps_lower(nps_summary, double precision) RENAME TO lower_bound;
ALTER FUNCTION nps_upper(nps_summary, double precision) RENAME TO upper_bound;

-- an aggregate that returns a number is named after it
ALTER AGGREGATE crv_agg(anyelement, boolean, double precision, double precision,
						double precision, double precision) RENAME TO crv;
ALTER AGGREGATE crv_agg(anyelement, boolean, double precision, double precision,
						double precision, double precision, double precision) RENAME TO crv;
ALTER FUNCTION pv_trans(double precision, double precision, timestamp with time zone,
						timestamp with time zone, double precision, interval)
	RENAME TO present_value_trans;
ALTER FUNCTION pv_trans_year(double precision, double precision, timestamp with time zone,
							 timestamp with time zone, double precision)
	RENAME TO present_value_trans;

-- accessors without a type prefix
ALTER FUNCTION funnel_steps(funnel) RENAME TO steps;
ALTER FUNCTION engagement_score(engagement, timestamp with time zone, double precision[],
								double precision) RENAME TO score;
ALTER FUNCTION engagement_explain(engagement, timestamp with time zone, double precision[],
								  double precision) RENAME TO score_factors;
ALTER FUNCTION community_health_index(community_health, interval, community_health,
									  double precision) RENAME TO health_index;
ALTER FUNCTION bgnbd_log_likelihood(bgnbd, double precision, double precision,
									double precision) RENAME TO log_likelihood;
ALTER FUNCTION bgnbd_expected(bgnbd, double precision) RENAME TO expected_purchases;
ALTER FUNCTION bgnbd_expected(bgnbd, double precision, double precision, double precision,
							  double precision) RENAME TO expected_purchases;
ALTER FUNCTION bgnbd_p_alive(bgnbd, double precision, double precision, double precision)
	RENAME TO p_alive;
ALTER FUNCTION bgnbd_probability(bgnbd, double precision, double precision)
	RENAME TO purchase_probability;
ALTER FUNCTION gammagamma_expected_spend(gammagamma) RENAME TO expected_spend;
ALTER FUNCTION gammagamma_expected_spend(gammagamma, double precision, double precision)
	RENAME TO expected_spend;
ALTER FUNCTION gammagamma_log_likelihood(gammagamma, double precision, double precision)
	RENAME TO log_likelihood;

-- + merges two states of every type that merges (nps_summary has it since 1.0)
CREATE FUNCTION engagement_add(engagement, engagement) RETURNS engagement
	AS 'MODULE_PATHNAME', 'engagement_engagement_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = engagement, RIGHTARG = engagement,
				   FUNCTION = engagement_add, COMMUTATOR = +);

CREATE FUNCTION rfm_add(rfm, rfm) RETURNS rfm
	AS 'MODULE_PATHNAME', 'engagement_rfm_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = rfm, RIGHTARG = rfm, FUNCTION = rfm_add, COMMUTATOR = +);

CREATE FUNCTION funnel_add(funnel, funnel) RETURNS funnel
	AS 'MODULE_PATHNAME', 'engagement_funnel_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = funnel, RIGHTARG = funnel, FUNCTION = funnel_add, COMMUTATOR = +);

CREATE FUNCTION community_health_add(community_health, community_health)
	RETURNS community_health
	AS 'MODULE_PATHNAME', 'engagement_community_health_add'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR + (LEFTARG = community_health, RIGHTARG = community_health,
				   FUNCTION = community_health_add, COMMUTATOR = +);
