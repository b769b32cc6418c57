/* check_suites.h: one Check suite per module; check_main.c runs them all. */
#ifndef DUALSTAT_CHECK_SUITES_H
#define DUALSTAT_CHECK_SUITES_H

#include <check.h>

Suite	*addr_suite(void);
Suite	*proxy_suite(void);
Suite	*config_suite(void);
Suite	*query_suite(void);
Suite	*store_suite(void);
Suite	*render_suite(void);
Suite	*app_suite(void);
Suite	*host_suite(void);
Suite	*recorder_suite(void);
Suite	*fcgi_scan_suite(void);
Suite	*listen_suite(void);
Suite	*probe_suite(void);
Suite	*report_view_suite(void);
Suite	*url_suite(void);
Suite	*cli_report_suite(void);
Suite	*logtime_suite(void);
Suite	*logline_suite(void);
Suite	*linereader_suite(void);
Suite	*row_suite(void);
Suite	*varint_suite(void);
Suite	*cell_suite(void);
Suite	*map_suite(void);
Suite	*topk_suite(void);
Suite	*setup_suite(void);
/* Access logs into the store (issue 11). */
Suite	*tally_suite(void);
Suite	*logrow_suite(void);
Suite	*import_dedupe_suite(void);
Suite	*ingest_suite(void);
Suite	*follow_suite(void);
Suite	*parse_suite(void);
Suite	*stats_suite(void);
Suite	*opts_suite(void);
/* Issue 10: readiness probes. */
Suite	*probe_cell_suite(void);

/*
 * Table-driven cases carry the line they were written on, so a failure
 * points at its row: ck_assert_msg(ok, "line %d: ...", row->line).
 */
#define CASE_LINE	__LINE__

#endif
