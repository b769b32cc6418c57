/* check_probe_cell.c: probe cells' slots and count codes. */
#include <stdbool.h>

#include "addr.h"
#include "cell.h"
#include "probe_cell.h"
#include "check_suites.h"

START_TEST(slots)
{
	int		 s, seen[PCELL_SLOTS] = { 0 };
	unsigned	 k, ph;

	for (k = 0; k < PROBE__MAX; k++)
		for (ph = 0; ph < PCELL__PHASES; ph++) {
			s = pcell_slot(k, ph);
			ck_assert_int_ge(s, 0);
			ck_assert_int_lt(s, PCELL_SLOTS);
			ck_assert_int_eq(seen[s]++, 0);
			ck_assert_int_eq(pcell_slot_probe(s), k);
			ck_assert_int_eq(pcell_slot_phase(s), ph);
		}
}
END_TEST

/* Every code of every start and way back reads back as what made it, each once. */
START_TEST(codes)
{
	static bool	 seen[PCELL_CODES];
	int		 kind, m, fam, bk, c;
	static const int fams[] = { 0, 4, 6 };

	for (kind = 0; kind < CELL_KINDS; kind++)
		for (m = 0; m < 2; m++)
			for (fam = 0; fam < 3; fam++)
				for (bk = 0; bk < (fams[fam] == 0 ? 1 : CELL_KINDS); bk++) {
					c = pcell_code(kind, m, fams[fam], bk);
					ck_assert_int_ge(c, 0);
					ck_assert_int_lt(c, PCELL_CODES);
					ck_assert_msg(!seen[c], "code %d twice", c);
					seen[c] = true;
					ck_assert_int_eq(pcell_code_kind(c), kind);
					ck_assert_int_eq(pcell_code_mapped(c), m);
					ck_assert_int_eq(pcell_code_back_family(c), fams[fam]);
					if (fams[fam] != 0)
						ck_assert_int_eq(pcell_code_back_kind(c), bk);
				}
	for (c = 0; c < PCELL_CODES; c++)
		ck_assert_msg(seen[c], "code %d unused", c);
}
END_TEST

START_TEST(phase_of)
{
	ck_assert_int_eq(pcell_phase_of(PROBE_V6, 6), PCELL_REACHED);
	ck_assert_int_eq(pcell_phase_of(PROBE_V6, 4), PCELL_WRONG);
	ck_assert_int_eq(pcell_phase_of(PROBE_V4, 4), PCELL_REACHED);
	ck_assert_int_eq(pcell_phase_of(PROBE_V4, 6), PCELL_WRONG);
	ck_assert_int_eq(pcell_phase_of(PROBE_SELF, 6), PCELL_REACHED);
	ck_assert_int_eq(pcell_phase_of(PROBE_SELF, 4), PCELL_REACHED);
}
END_TEST

START_TEST(limits_codes)
{
	/* A kind out of range counts as KIND__MAX, a family out of range as a start. */
	ck_assert_int_eq(pcell_code(-1, false, 0, 0), pcell_code(KIND__MAX, false, 0, 0));
	ck_assert_int_eq(pcell_code(CELL_KINDS, true, 6, 99),
	    pcell_code(KIND__MAX, true, 6, KIND__MAX));
	ck_assert_int_eq(pcell_code(KIND_GLOBAL, false, 5, KIND_GLOBAL),
	    pcell_code(KIND_GLOBAL, false, 0, 0));
	ck_assert_int_eq(pcell_code(CELL_KINDS - 1, true, 6, CELL_KINDS - 1), PCELL_CODES - 1);
	ck_assert_int_eq(pcell_slot_probe(-1), PROBE__MAX);
	ck_assert_int_eq(pcell_slot_probe(PCELL_SLOTS), PROBE__MAX);
	ck_assert_int_eq(pcell_slot_phase(PCELL_SLOTS), PCELL__PHASES);
}
END_TEST

Suite *
probe_cell_suite(void)
{
	Suite	*s = suite_create("probe_cell");
	TCase	*tc;

	tc = tcase_create("core");
	tcase_add_test(tc, slots);
	tcase_add_test(tc, codes);
	tcase_add_test(tc, phase_of);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, limits_codes);
	suite_add_tcase(s, tc);
	return s;
}
