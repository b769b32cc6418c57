/* probe_cell.h: what a probe cell counts: its slots (probe and outcome) and its count codes (pure). */
#ifndef DUALSTAT_PROBE_CELL_H
#define DUALSTAT_PROBE_CELL_H

#include <stdbool.h>

#include "cell.h"
#include "probe.h"

/*
 * A resolved probe becomes counts in probe cells (rollup.h), kept apart
 * from the request cells so that no probe is ever counted as a request.
 * A probe cell has the key of a request cell (cell.h), its "how" being a
 * slot: the probe and what became of it.  Every probe counts once as
 * started; one that came back also counts as reached, or, over the wrong
 * family, as wrong.  Its counts blob is by code: how the visit that
 * started it came (kind, mapped; the family is the cell's) and, for
 * reached and wrong, how the probe came back (family and kind).  Its
 * prefixes blob: the starts' prefixes, as a request cell's.
 */
enum pcell_phase {
	PCELL_STARTED,
	PCELL_REACHED,		/* came back over the probe's family */
	PCELL_WRONG,		/* came back over the other family: misconfigured */
	PCELL__PHASES
};

#define PCELL_SLOTS	(PROBE__MAX * PCELL__PHASES)

int		 pcell_slot(enum probe_kind, enum pcell_phase);
/* PROBE__MAX for a slot out of range. */
enum probe_kind	 pcell_slot_probe(int slot);
enum pcell_phase pcell_slot_phase(int slot);

/*
 * A code: (kind * 2 + mapped) * PCELL_DONE + back, where back is 0 for a
 * start and 1 + (family == 6) * CELL_KINDS + kind for the way it came
 * back.  A kind outside 0..CELL_KINDS - 1 counts as KIND__MAX.
 */
#define PCELL_DONE	(1 + 2 * CELL_KINDS)
#define PCELL_CODES	(CELL_KINDS * 2 * PCELL_DONE)

/* back_family 0: a start (back_kind is then not looked at). */
int		 pcell_code(int kind, bool mapped, int back_family, int back_kind);
int		 pcell_code_kind(int code);
bool		 pcell_code_mapped(int code);
int		 pcell_code_back_family(int code);	/* 0 (a start), 4 or 6 */
int		 pcell_code_back_kind(int code);	/* when back_family is not 0 */

/*
 * A probe cell's series cell (cell.h) sums the probe cells of its level,
 * start and host by slot: a year's daily series reads 365 cells a host,
 * not 365 x slots x families.
 */

/* The phase of a probe that came back over family (probe_family_fits). */
enum pcell_phase pcell_phase_of(enum probe_kind, int back_family);

#endif
