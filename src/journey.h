/*-------------------------------------------------------------------------
 *
 * journey.h
 *	  The journey type as other capabilities read it: a journey value
 *	  decoded into arrays.
 *
 * IDENTIFICATION
 *	  src/journey.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef JOURNEY_H
#define JOURNEY_H

#include "engagement.h"

/*
 * A journey decoded into arrays (journey.c): touches sorted by time, then
 * channel name, then event name; dictionaries sorted bytewise.
 */
typedef struct EngJourney
{
	int			n;				/* touches, at least 1 */
	int64	   *ts;
	int32	   *ch;				/* channel index */
	int32	   *ev;				/* event index, -1 when the touch has none */
	int			nchannels;
	int			nevents;
	const char **channels;
	const char **events;
} EngJourney;

/* Decode and check a journey Datum (detoasting it in the current context). */
extern void eng_journey_get(Datum d, EngJourney *j);

#endif							/* JOURNEY_H */
