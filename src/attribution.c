/*-------------------------------------------------------------------------
 *
 * attribution.c
 *	  Rule-based multi-touch attribution: attribution() and
 *	  attribution_at() give each touch of a journey its credit under the
 *	  first-touch, last-touch, linear, time-decay or position-based model
 *	  and sum the credits per channel.
 *
 * The data-driven models live apart: the Markov model in markov.c, Shapley
 * values in shapley.c.
 *
 * IDENTIFICATION
 *	  src/attribution.c
 *
 *-------------------------------------------------------------------------
 */
#include "engagement.h"

#include <math.h>

#include "attribution.h"
#include "funcapi.h"
#include "journey.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

typedef enum AttrModel
{
	ATTR_FIRST,
	ATTR_LAST,
	ATTR_LINEAR,
	ATTR_TIME_DECAY,
	ATTR_POSITION
} AttrModel;

static AttrModel
attr_parse_model(text *t)
{
	char	   *m = text_to_cstring(t);

	if (strcmp(m, "first_touch") == 0)
		return ATTR_FIRST;
	if (strcmp(m, "last_touch") == 0)
		return ATTR_LAST;
	if (strcmp(m, "linear") == 0)
		return ATTR_LINEAR;
	if (strcmp(m, "time_decay") == 0)
		return ATTR_TIME_DECAY;
	if (strcmp(m, "position_based") == 0)
		return ATTR_POSITION;
	ereport(ERROR,
			errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			errmsg("unknown attribution model \"%s\"", m),
			errhint("Models are first_touch, last_touch, linear, time_decay and position_based."));
	return ATTR_LINEAR;			/* keep compiler quiet */
}

/*
 * attribution(journey, model, half_life [, converted_at]) -> SETOF (channel,
 * credit): each touch's credit, summed per channel; the credits of a journey
 * sum to 1.  Touches after converted_at are ignored (default: the last touch
 * is the conversion).
 */
static Datum
attribution_common(FunctionCallInfo fcinfo, bool with_conv)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	EngJourney	j;
	AttrModel	model = attr_parse_model(PG_GETARG_TEXT_PP(1));
	int64		half_life = eng_interval_usecs_positive(PG_GETARG_INTERVAL_P(2),
														"attribution half-life");
	int			k;
	double	   *touch_credit;
	double	   *channel_credit;
	bool	   *used;

	InitMaterializedSRF(fcinfo, 0);
	eng_journey_get(PG_GETARG_DATUM(0), &j);

	/* touches that count: those up to the conversion */
	k = j.n;
	if (with_conv)
	{
		TimestampTz conv_at = PG_GETARG_TIMESTAMPTZ(3);

		while (k > 0 && j.ts[k - 1] > conv_at)
		{
			CHECK_FOR_INTERRUPTS();
			k--;
		}
		if (k == 0)
			return (Datum) 0;
	}

	touch_credit = palloc0(sizeof(double) * k);
	switch (model)
	{
		case ATTR_FIRST:
			touch_credit[0] = 1.0;
			break;
		case ATTR_LAST:
			touch_credit[k - 1] = 1.0;
			break;
		case ATTR_LINEAR:
			for (int i = 0; i < k; i++)
			{
				CHECK_FOR_INTERRUPTS();
				touch_credit[i] = 1.0 / k;
			}
			break;
		case ATTR_TIME_DECAY:
			{
				double		sum = 0.0;

				/*
				 * 2^(-(t_conv - t_i) / h), normalised: the common factor
				 * 2^(-(t_conv - t_k) / h) cancels, so weigh relative to the
				 * newest counted touch and nothing underflows.
				 */
				for (int i = 0; i < k; i++)
				{
					CHECK_FOR_INTERRUPTS();
					touch_credit[i] = exp2(-((double) (j.ts[k - 1] - j.ts[i])) /
										   (double) half_life);
					sum += touch_credit[i];
				}
				for (int i = 0; i < k; i++)
				{
					CHECK_FOR_INTERRUPTS();
					touch_credit[i] /= sum;
				}
				break;
			}
		case ATTR_POSITION:
			if (k == 1)
				touch_credit[0] = 1.0;
			else if (k == 2)
				touch_credit[0] = touch_credit[1] = 0.5;
			else
			{
				touch_credit[0] = touch_credit[k - 1] = 0.4;
				for (int i = 1; i < k - 1; i++)
				{
					CHECK_FOR_INTERRUPTS();
					touch_credit[i] = 0.2 / (k - 2);
				}
			}
			break;
	}

	/*
	 * One pass over the counted touches indexes the channels they use, so the
	 * work is linear in touches plus channels.
	 */
	channel_credit = palloc0(sizeof(double) * j.nchannels);
	used = palloc0(sizeof(bool) * j.nchannels);
	for (int i = 0; i < k; i++)
	{
		CHECK_FOR_INTERRUPTS();
		channel_credit[j.ch[i]] += touch_credit[i];
		used[j.ch[i]] = true;
	}
	/* the channel dictionary is sorted: rows come out ordered by channel */
	for (int c = 0; c < j.nchannels; c++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		CHECK_FOR_INTERRUPTS();
		if (!used[c])
			continue;
		values[0] = PointerGetDatum(cstring_to_text(j.channels[c]));
		values[1] = attr_float8(channel_credit[c]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(engagement_attribution);
Datum
engagement_attribution(PG_FUNCTION_ARGS)
{
	return attribution_common(fcinfo, false);
}

PG_FUNCTION_INFO_V1(engagement_attribution_at);
Datum
engagement_attribution_at(PG_FUNCTION_ARGS)
{
	return attribution_common(fcinfo, true);
}
