/* check_ingest.c: dualstat ingest's pure parts: the syslog header nginx writes, the per-process slots, how /status shows them. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "ingest.h"
#include "page.h"
#include "stats.h"
#include "status.h"
#include "syslog_line.h"
#include "check_suites.h"

#define LINE	"2001:db8::1 - - [01/Mar/2024:10:00:03 +0100] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\""

/* What nginx sends (ngx_syslog_add_header), and what is no such header. */
static const struct {
	int		 line;
	const char	*dgram;
	long		 body;		/* offset of the message, -1: none */
} syslog_cases[] = {
	{ CASE_LINE, "<190>Mar  1 10:00:03 web1 nginx: " LINE, 33 },
	/* nohostname */
	{ CASE_LINE, "<190>Mar  1 10:00:03 nginx: " LINE, 28 },
	/* a two-digit day; another tag (tag=dualstat) */
	{ CASE_LINE, "<13>Dec 24 23:59:59 web1.example.test dualstat: x", 48 },
	/* An address ending in "::" right after the tag: the tag ends the header, not the address. */
	{ CASE_LINE, "<190>Mar  1 10:00:03 web1 nginx: 2001:db8:: - - x", 33 },
	{ CASE_LINE, "<190>Mar  1 10:00:03 nginx: 2001:db8:: - - x", 28 },
	/* A bare line, no header: the caller takes it as it is. */
	{ CASE_LINE, LINE, -1 },
	{ CASE_LINE, "", -1 },
	{ CASE_LINE, "<>Mar  1 10:00:03 nginx: x", -1 },
	{ CASE_LINE, "<1900>Mar  1 10:00:03 nginx: x", -1 },
	{ CASE_LINE, "<190Mar  1 10:00:03 nginx: x", -1 },
	{ CASE_LINE, "<190>Mar 1 10:00:03 nginx: x", -1 },
	{ CASE_LINE, "<190>Mar  1 10-00-03 nginx: x", -1 },
	/* Three words before a colon: neither hostname tag nor tag. */
	{ CASE_LINE, "<190>Mar  1 10:00:03 a b c: x", -1 },
	/* The tag without the space after its colon. */
	{ CASE_LINE, "<190>Mar  1 10:00:03 nginx:x", -1 },
};

START_TEST(test_syslog_body)
{
	size_t	 i;
	long	 got;

	for (i = 0; i < sizeof(syslog_cases) / sizeof(syslog_cases[0]); i++) {
		got = syslog_line_body(syslog_cases[i].dgram,
		    strlen(syslog_cases[i].dgram));
		ck_assert_msg(got == syslog_cases[i].body, "line %d: %ld, not %ld",
		    syslog_cases[i].line, got, syslog_cases[i].body);
	}
	/* The message found is the line. */
	ck_assert_str_eq(syslog_cases[0].dgram + syslog_cases[0].body, LINE);
}
END_TEST

/* Cut anywhere, a header is never read past its end. */
START_TEST(test_syslog_cut)
{
	const char	*d = "<190>Mar  1 10:00:03 web1 nginx: x";
	size_t		 n;

	for (n = 0; n < 33; n++)
		ck_assert_msg(syslog_line_body(d, n) == -1, "cut at %zu", n);
	ck_assert_int_eq(syslog_line_body(d, 33), 33);
}
END_TEST

/* ---- slots ---------------------------------------------------------------- */

START_TEST(test_slots)
{
	struct stats		*s = stats_create();
	struct stats_ingest	*a, *b, *taken[STATS_INGEST_SLOTS];
	struct stats		 copy;
	size_t			 i;

	a = stats_ingest_claim(s, "stdin");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->pid, getpid());
	ck_assert_str_eq(a->source, "stdin");
	a->lines = 5;
	/* One process may read two inputs, each in its own slot. */
	b = stats_ingest_claim(s, "unixgram:/run/x");
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a, b);
	stats_read(s, &copy);
	ck_assert_uint_eq(stats_ingest_live(&copy), 2);
	ck_assert_uint_eq(copy.ingest[0].lines, 5);
	stats_ingest_release(a);
	stats_read(s, &copy);
	ck_assert_uint_eq(stats_ingest_live(&copy), 1);
	ck_assert_str_eq(copy.ingest[0].source, "unixgram:/run/x");
	ck_assert_int_eq(copy.ingest[1].pid, 0);
	/* A freed slot is cleared when claimed again. */
	a = stats_ingest_claim(s, "stdin");
	ck_assert_uint_eq(a->lines, 0);
	stats_ingest_release(a);
	stats_ingest_release(b);
	stats_ingest_release(NULL);
	for (i = 0; i < STATS_INGEST_SLOTS; i++)
		ck_assert_ptr_nonnull(taken[i] = stats_ingest_claim(s, "stdin"));
	ck_assert_ptr_null(stats_ingest_claim(s, "stdin"));
	for (i = 0; i < STATS_INGEST_SLOTS; i++)
		stats_ingest_release(taken[i]);
}
END_TEST

/* A process killed with -9 never let go of its slot: it is not shown, and it is taken again. */
START_TEST(test_slot_of_dead_process)
{
	struct stats		*s = stats_create();	/* shared with the child */
	struct stats		 copy;
	struct stats_ingest	*g;
	pid_t			 pid;
	int			 status;

	if ((pid = fork()) == 0) {
		(void)stats_ingest_claim(s, "stdin");
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(s->ingest[0].pid, pid);
	stats_read(s, &copy);
	ck_assert_uint_eq(stats_ingest_live(&copy), 0);
	g = stats_ingest_claim(s, "unixgram:/x");
	ck_assert_ptr_eq(g, &s->ingest[0]);
	stats_ingest_release(g);
}
END_TEST

/* ---- on /status ----------------------------------------------------------- */

static struct status
with_ingest(struct stats_ingest *g)
{
	struct status	 st;

	memset(&st, 0, sizeof(st));
	st.version = "0.1";
	st.mode = "cli";
	st.now = 1700000000;
	st.database = "/var/lib/dualstat/dualstat.db";
	st.last_error = "";
	memset(g, 0, sizeof(*g));
	g->pid = 4321;
	g->started = st.now - 3600;
	g->lines = 1000;
	g->rows = 990;
	g->skipped = 7;
	g->backlog = 3;
	g->dropped = 2;
	g->last_line = st.now - 65;
	g->last_commit = st.now - 1;
	strcpy(g->source, "unixgram:/run/dualstat/<log>&\"");
	st.ingest = g;
	st.ningest = 1;
	return st;
}

START_TEST(test_status_pages)
{
	static const struct page_site site = { "example.org", "/static", "/dualstat" };
	struct stats_ingest	 g;
	struct status		 st = with_ingest(&g);
	struct buf		 b = { 0 };
	const char		*s;

	page_status_html(&b, &site, &st);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "<h2>Log ingest</h2>"));
	ck_assert_ptr_nonnull(strstr(s, "<td>4321</td>"));
	ck_assert_ptr_nonnull(strstr(s, "<td>990</td>"));
	ck_assert_ptr_nonnull(strstr(s, "unixgram:/run/dualstat/&lt;log&gt;&amp;&quot;"));
	ck_assert_ptr_null(strstr(s, "<log>"));
	ck_assert_ptr_nonnull(strstr(s, "1m"));	/* the lag: 65 s */

	buf_reset(&b);
	page_status_json(&b, &st);
	s = buf_str(&b);
	ck_assert_msg(strstr(s, "\"ingest\":[{\"source\":\"unixgram:/run/dualstat/"
	    "\\u003clog\\u003e\\u0026\\\"\",\"pid\":4321,") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "\"lines\":1000,\"rows\":990,\"skipped\":7,"
	    "\"backlog\":3,\"dropped\":2,\"last_line\":\"2023-11-14T22:12:15Z\","
	    "\"lag\":65,\"last_commit\":\"2023-11-14T22:13:19Z\"}]") != NULL, "%s", s);

	buf_reset(&b);
	page_status_text(&b, &st);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Ingest:                pid 4321\n"));
	ck_assert_ptr_nonnull(strstr(s, "1000 read, 990 recorded, 7 skipped\n"));
	ck_assert_ptr_nonnull(strstr(s, "3 waiting, 2 dropped\n"));

	/* No line read yet: no lag. */
	g.last_line = 0;
	buf_reset(&b);
	page_status_json(&b, &st);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\"last_line\":null,\"lag\":null"));
	/* None running: an empty list, and no section. */
	st.ningest = 0;
	buf_reset(&b);
	page_status_json(&b, &st);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\"ingest\":[]"));
	buf_reset(&b);
	page_status_html(&b, &site, &st);
	ck_assert_ptr_null(strstr(buf_str(&b), "Log ingest"));
	buf_free(&b);
}
END_TEST

Suite *
ingest_suite(void)
{
	Suite	*s = suite_create("ingest");
	TCase	*tc = tcase_create("core");
	TCase	*lim = tcase_create("limits");

	tcase_add_test(tc, test_syslog_body);
	tcase_add_test(tc, test_slots);
	tcase_add_test(tc, test_slot_of_dead_process);
	tcase_add_test(tc, test_status_pages);
	tcase_add_test(lim, test_syslog_cut);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, lim);
	return s;
}
