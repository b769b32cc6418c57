/* probe_cell.c: what a probe cell counts: its slots and count codes (pure). */
#include "addr.h"
#include "probe_cell.h"

int
pcell_slot(enum probe_kind k, enum pcell_phase ph)
{
	return (int)k * PCELL__PHASES + (int)ph;
}

enum probe_kind
pcell_slot_probe(int slot)
{
	return slot >= 0 && slot < PCELL_SLOTS ?
	    (enum probe_kind)(slot / PCELL__PHASES) : PROBE__MAX;
}

enum pcell_phase
pcell_slot_phase(int slot)
{
	return slot >= 0 && slot < PCELL_SLOTS ?
	    (enum pcell_phase)(slot % PCELL__PHASES) : PCELL__PHASES;
}

static int
kind_of(int kind)
{
	return kind < 0 || kind >= CELL_KINDS ? KIND__MAX : kind;
}

int
pcell_code(int kind, bool mapped, int back_family, int back_kind)
{
	int	 back = 0;

	if (back_family == 4 || back_family == 6)
		back = 1 + (back_family == 6) * CELL_KINDS + kind_of(back_kind);
	return (kind_of(kind) * 2 + (mapped ? 1 : 0)) * PCELL_DONE + back;
}

int
pcell_code_kind(int code)
{
	return code / PCELL_DONE / 2;
}

bool
pcell_code_mapped(int code)
{
	return (code / PCELL_DONE) % 2 != 0;
}

int
pcell_code_back_family(int code)
{
	int	 back = code % PCELL_DONE;

	return back == 0 ? 0 : back > CELL_KINDS ? 6 : 4;
}

int
pcell_code_back_kind(int code)
{
	int	 back = code % PCELL_DONE;

	return back == 0 ? 0 : (back - 1) % CELL_KINDS;
}

enum pcell_phase
pcell_phase_of(enum probe_kind k, int back_family)
{
	return probe_family_fits(k, back_family) ? PCELL_REACHED : PCELL_WRONG;
}
