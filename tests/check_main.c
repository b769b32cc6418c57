/* check_main.c: runs every module's Check suite; exit status for the automake harness. */
#include <stdlib.h>

#include "check_suites.h"

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(addr_suite());
	srunner_add_suite(sr, proxy_suite());
	srunner_add_suite(sr, config_suite());
	srunner_add_suite(sr, query_suite());
	srunner_add_suite(sr, store_suite());
	srunner_add_suite(sr, render_suite());
	srunner_add_suite(sr, app_suite());
	srunner_add_suite(sr, host_suite());
	srunner_add_suite(sr, recorder_suite());
	srunner_add_suite(sr, fcgi_scan_suite());
	srunner_add_suite(sr, listen_suite());
	srunner_add_suite(sr, probe_suite());
	srunner_add_suite(sr, report_view_suite());
	srunner_add_suite(sr, url_suite());
	srunner_add_suite(sr, cli_report_suite());
	srunner_add_suite(sr, logtime_suite());
	srunner_add_suite(sr, logline_suite());
	srunner_add_suite(sr, linereader_suite());
	srunner_add_suite(sr, row_suite());
	srunner_add_suite(sr, varint_suite());
	srunner_add_suite(sr, cell_suite());
	srunner_add_suite(sr, map_suite());
	srunner_add_suite(sr, topk_suite());
	srunner_add_suite(sr, setup_suite());
	/* Access logs into the store (issue 11). */
	srunner_add_suite(sr, tally_suite());
	srunner_add_suite(sr, logrow_suite());
	srunner_add_suite(sr, import_dedupe_suite());
	srunner_add_suite(sr, ingest_suite());
	srunner_add_suite(sr, follow_suite());
	srunner_add_suite(sr, parse_suite());
	srunner_add_suite(sr, stats_suite());
	srunner_add_suite(sr, opts_suite());
	/* Issue 10: readiness probes. */
	srunner_add_suite(sr, probe_cell_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
