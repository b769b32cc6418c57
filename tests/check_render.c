/* check_render.c: the renderers: buffer, HTML/JSON/CSV/SVG escaping, and every page with hostile input. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "check_suites.h"
#include "csv.h"
#include "html.h"
#include "json.h"
#include "page.h"
#include "report.h"
#include "status.h"
#include "svg.h"

#define XSS_TAG		"<script>alert(1)</script>"
#define XSS_ATTR	"\"><img src=x onerror=alert(1)>"
#define XSS_QUOTE	"it's \"a\" & b"
#define HOSTILE		XSS_TAG XSS_ATTR XSS_QUOTE

/* 2026-11-19T00:00:00Z */
#define T0		INT64_C(1795046400)
#define DAY		86400

/* Raw markup of the hostile strings must never reach the page. */
static void
assert_no_raw(const char *out, int line)
{
	ck_assert_msg(strstr(out, "<script") == NULL, "line %d: raw <script", line);
	ck_assert_msg(strstr(out, "<img") == NULL, "line %d: raw <img", line);
	ck_assert_msg(strstr(out, "alert(1)>") == NULL, "line %d: attribute break", line);
	ck_assert_msg(strstr(out, "it's") == NULL, "line %d: raw quote", line);
	ck_assert_msg(strstr(out, "& b") == NULL, "line %d: raw ampersand", line);
}

/* The hostile string, escaped the one way html_txt does it. */
#define HOSTILE_ESC \
	"&lt;script&gt;alert(1)&lt;/script&gt;" \
	"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" \
	"it&#39;s &quot;a&quot; &amp; b"

static int
count(const char *hay, const char *needle)
{
	int	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* ---- a small JSON validator (RFC 8259 grammar) ------------------------- */

struct jv {
	const char	*p;
	char		 keys[32][32];	/* keys of the top-level object */
	int		 nkeys;
};

static bool	 jv_value(struct jv *, int);

static void
jv_ws(struct jv *v)
{
	while (*v->p == ' ' || *v->p == '\t' || *v->p == '\n' || *v->p == '\r')
		v->p++;
}

static bool
jv_string(struct jv *v, char *save, size_t savesz)
{
	size_t	 n = 0;

	if (*v->p++ != '"')
		return false;
	for (;;) {
		unsigned char	 c = (unsigned char)*v->p++;

		if (c == '"')
			break;
		if (c < 0x20)
			return false;
		if (c == '\\') {
			c = (unsigned char)*v->p++;
			if (c == 'u') {
				int	 i;

				for (i = 0; i < 4; i++, v->p++)
					if (strchr("0123456789abcdefABCDEF",
					    *v->p) == NULL || *v->p == '\0')
						return false;
			} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
				return false;
		}
		if (save != NULL && n + 1 < savesz)
			save[n++] = (char)c;
	}
	if (save != NULL)
		save[n] = '\0';
	return true;
}

static bool
jv_number(struct jv *v)
{
	const char	*s = v->p;

	if (*v->p == '-')
		v->p++;
	if (*v->p == '0')
		v->p++;
	else if (*v->p >= '1' && *v->p <= '9')
		while (*v->p >= '0' && *v->p <= '9')
			v->p++;
	else
		return false;
	if (*v->p == '.') {
		v->p++;
		if (!(*v->p >= '0' && *v->p <= '9'))
			return false;
		while (*v->p >= '0' && *v->p <= '9')
			v->p++;
	}
	if (*v->p == 'e' || *v->p == 'E') {
		v->p++;
		if (*v->p == '+' || *v->p == '-')
			v->p++;
		if (!(*v->p >= '0' && *v->p <= '9'))
			return false;
		while (*v->p >= '0' && *v->p <= '9')
			v->p++;
	}
	return v->p > s;
}

static bool
jv_value(struct jv *v, int depth)
{
	jv_ws(v);
	if (depth > 64)
		return false;
	switch (*v->p) {
	case '{':
		v->p++;
		jv_ws(v);
		if (*v->p == '}') {
			v->p++;
			return true;
		}
		for (;;) {
			char	 key[32];

			jv_ws(v);
			if (!jv_string(v, key, sizeof(key)))
				return false;
			if (depth == 0 && v->nkeys < 32)
				strcpy(v->keys[v->nkeys++], key);
			jv_ws(v);
			if (*v->p++ != ':')
				return false;
			if (!jv_value(v, depth + 1))
				return false;
			jv_ws(v);
			if (*v->p == '}') {
				v->p++;
				return true;
			}
			if (*v->p++ != ',')
				return false;
		}
	case '[':
		v->p++;
		jv_ws(v);
		if (*v->p == ']') {
			v->p++;
			return true;
		}
		for (;;) {
			if (!jv_value(v, depth + 1))
				return false;
			jv_ws(v);
			if (*v->p == ']') {
				v->p++;
				return true;
			}
			if (*v->p++ != ',')
				return false;
		}
	case '"':
		return jv_string(v, NULL, 0);
	case 't':
		return strncmp(v->p, "true", 4) == 0 ? (v->p += 4, true) : false;
	case 'f':
		return strncmp(v->p, "false", 5) == 0 ? (v->p += 5, true) : false;
	case 'n':
		return strncmp(v->p, "null", 4) == 0 ? (v->p += 4, true) : false;
	default:
		return jv_number(v);
	}
}

/* Valid JSON text, one value and nothing after it. */
static bool
json_valid(const char *text, struct jv *v)
{
	memset(v, 0, sizeof(*v));
	v->p = text;
	if (!jv_value(v, 0))
		return false;
	jv_ws(v);
	return *v->p == '\0';
}

/* The top-level keys are exactly want, in order. */
static void
assert_keys(const struct jv *v, const char *const *want, int n)
{
	int	 i;

	ck_assert_int_eq(v->nkeys, n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(v->keys[i], want[i]);
}

/* ---- fixtures ---------------------------------------------------------- */

static struct report_kind kinds[] = {
	{ 6, KIND_GLOBAL, false, 300 },
	{ 6, KIND_6TO4, false, 100 },
	{ 4, KIND_GLOBAL, true, 500 },
	{ 4, KIND_PRIVATE, false, 100 },
};

static struct report_prefix prefixes[] = {
	{ "2001:db8:1::/48", 6, KIND_DOCUMENTATION, 250 },
	{ "192.0.2.0/24", 4, KIND_DOCUMENTATION, 200 },
};

static struct report_point series[] = {
	{ T0, 300, 200 },
	{ T0 + DAY, 0, 0 },
	{ T0 + 2 * DAY, 300, 200 },
};

/* A three-day report of 1000 requests, 40 % IPv6. */
static struct report
tiny_report(void)
{
	struct report	 r;

	memset(&r, 0, sizeof(r));
	r.q.from = T0;
	r.q.to = T0 + 3 * DAY;
	r.q.bucket = DAY;
	r.q.top = 10;
	r.q.how = -1;
	r.total = 1000;
	r.ipv4 = 600;
	r.ipv6 = 400;
	r.kinds = kinds;
	r.nkinds = 4;
	r.unique_ipv4 = 17;
	r.unique_ipv6 = 5;
	r.prefixes = prefixes;
	r.nprefixes = 2;
	r.series = series;
	r.nseries = 3;
	return r;
}

/* The readiness probes' figures (issue 10 §3): every one of them, exactly. */
static struct report_arrival	 arrivals[] = {
	{ 4, KIND_GLOBAL, PROBE_V6, 60, 20 },
	{ 6, KIND_NAT64, PROBE_V4, 10, 10 },
};
static struct report_back	 backs[] = {
	{ PROBE_V4, 6, KIND_GLOBAL, 2 },
};
static struct report_lost	 lost[] = {
	{ "198.51.100.0/24", 4, KIND_DOCUMENTATION, 30 },
};

static struct report
probe_report(struct report_probe_point *pts)
{
	struct report	 r = tiny_report();

	r.readiness.probe[PROBE_V6] = (struct report_probe){ 100, 60, 0 };
	r.readiness.probe[PROBE_V4] = (struct report_probe){ 100, 72, 2 };
	r.readiness.probe[PROBE_SELF] = (struct report_probe){ 100, 80, 0 };
	r.readiness.arrivals = arrivals;
	r.readiness.narrivals = 2;
	r.readiness.backs = backs;
	r.readiness.nbacks = 1;
	r.readiness.lost = lost;
	r.readiness.nlost = 1;
	memset(pts, 0, 2 * sizeof(*pts));
	pts[0].start = T0;
	pts[0].probe[PROBE_V6] = (struct report_probe){ 4, 2, 0 };
	pts[0].probe[PROBE_SELF] = (struct report_probe){ 4, 4, 0 };
	pts[1].start = T0 + DAY;
	r.readiness.series = pts;
	r.readiness.nseries = 2;
	return r;
}

static const struct page_site site = { "example.org", "/static", "/dualstat" };
static const struct page_site evil_site = { HOSTILE, HOSTILE, HOSTILE };

static struct status
some_status(void)
{
	struct status	 st;

	memset(&st, 0, sizeof(st));
	st.version = "0.1";
	st.fcgi_version = "2.4.2";
	st.sqlite_version = "3.46.1";
	st.mode = "fastcgi";
	st.now = T0;
	st.uptime = 3 * DAY + 4 * 3600 + 5 * 60 + 6;
	st.pid = 4242;
	st.node = "web-1";
	st.requests = 77;
	st.database = "/var/lib/dualstat/dualstat.db";
	st.db_ok = true;
	st.have_info = true;
	st.info.schema_version = 1;
	strcpy(st.info.journal_mode, "wal");
	st.info.rows = 1234;
	st.info.last_time = T0 - 60;
	st.info.size = 3 * 1024 * 1024 / 2;
	st.info.writable = true;
	st.last_error = "";
	st.remote_addr = "2001:db8::17";
	st.server_addr = "2001:db8::1";
	st.client_prefix = "2001:db8::/48";
	return st;
}

/* ---- buf --------------------------------------------------------------- */

START_TEST(test_buf_growth_1mb)
{
	struct buf	 b = { 0 };
	char		 chunk[1000];
	size_t		 i;

	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)('a' + i % 26);
	for (i = 0; i < 1100; i++)
		buf_append(&b, chunk, sizeof(chunk));
	buf_printf(&b, "%d", 12345);
	ck_assert(!b.failed);
	ck_assert_uint_eq(b.len, 1100 * 1000 + 5);
	ck_assert_uint_gt(b.cap, b.len);
	ck_assert_int_eq(b.data[b.len], '\0');
	ck_assert_int_eq(b.data[999 * 1000 + 25], 'z');
	ck_assert_str_eq(b.data + 1100 * 1000, "12345");
	ck_assert_uint_eq(strlen(buf_str(&b)), b.len);
	buf_free(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_buf_str_never_null)
{
	struct buf	 b = { 0 };
	size_t		 cap;

	ck_assert_ptr_nonnull(buf_str(&b));
	ck_assert_str_eq(buf_str(&b), "");
	buf_puts(&b, "hello");
	buf_putc(&b, '!');
	buf_printf(&b, " %u-%s", 7u, "x");
	ck_assert_str_eq(buf_str(&b), "hello! 7-x");
	cap = b.cap;
	buf_reset(&b);
	ck_assert_str_eq(buf_str(&b), "");
	ck_assert_uint_eq(b.cap, cap);
	buf_puts(&b, "again");
	ck_assert_str_eq(buf_str(&b), "again");
	buf_free(&b);
}
END_TEST

/* ---- limits ------------------------------------------------------------ */

START_TEST(test_buf_overflow_and_failed)
{
	struct buf	 b = { 0 };

	buf_puts(&b, "keep");
	/* A length that cannot fit must fail, not wrap around. */
	buf_append(&b, "x", SIZE_MAX);
	ck_assert(b.failed);
	ck_assert_str_eq(buf_str(&b), "keep");
	buf_puts(&b, "ignored");
	buf_printf(&b, "%d", 1);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_str_eq(buf_str(&b), "keep");
	buf_free(&b);
}
END_TEST

START_TEST(test_json_depth_overflow)
{
	struct buf	 b = { 0 };
	struct json	 j;
	int		 i;

	json_init(&j, &b);
	for (i = 0; i < JSON_DEPTH_MAX; i++)
		json_arr_open(&j, NULL);
	ck_assert(!b.failed);
	for (i = 0; i < JSON_DEPTH_MAX; i++)
		json_arr_close(&j);
	ck_assert(!b.failed);
	ck_assert_int_eq(count(buf_str(&b), "["), JSON_DEPTH_MAX);

	buf_free(&b);
	json_init(&j, &b);
	for (i = 0; i <= JSON_DEPTH_MAX; i++)
		json_obj_open(&j, i == 0 ? NULL : "k");
	ck_assert(b.failed);
	buf_free(&b);

	/* A close without an open is a caller bug too. */
	json_init(&j, &b);
	json_obj_close(&j);
	ck_assert(b.failed);
	buf_free(&b);
}
END_TEST

static const struct {
	int		 line;
	const char	*in;
	const char	*out;
} utf8_cases[] = {
	{ CASE_LINE, "\xc0\x80", "\"\\ufffd\\ufffd\"" },		/* overlong NUL */
	{ CASE_LINE, "\xc1\xbf", "\"\\ufffd\\ufffd\"" },		/* overlong */
	{ CASE_LINE, "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"" },	/* overlong / */
	{ CASE_LINE, "\xf0\x80\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	{ CASE_LINE, "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },	/* U+D800 */
	{ CASE_LINE, "\xed\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\"" },	/* U+DFFF */
	{ CASE_LINE, "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* > U+10FFFF */
	{ CASE_LINE, "\xf5\x80", "\"\\ufffd\\ufffd\"" },
	{ CASE_LINE, "\xff", "\"\\ufffd\"" },
	{ CASE_LINE, "\x80x", "\"\\ufffdx\"" },			/* lone continuation */
	{ CASE_LINE, "a\xe2\x82", "\"a\\ufffd\"" },		/* cut at the end */
	{ CASE_LINE, "\xe2\x82(", "\"\\ufffd(\"" },
	{ CASE_LINE, "\xed\x9f\xbf", "\"\xed\x9f\xbf\"" },	/* U+D7FF */
	{ CASE_LINE, "\xee\x80\x80", "\"\xee\x80\x80\"" },	/* U+E000 */
	{ CASE_LINE, "\xef\xbf\xbf", "\"\xef\xbf\xbf\"" },	/* U+FFFF */
	{ CASE_LINE, "\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"" }, /* U+10FFFF */
	{ CASE_LINE, "\xc2\x80", "\"\xc2\x80\"" },		/* U+0080 */
	{ CASE_LINE, "\xe2\x80\xa7", "\"\xe2\x80\xa7\"" },	/* U+2027 */
	{ CASE_LINE, "\xe2\x80\xaa", "\"\xe2\x80\xaa\"" },	/* U+202A */
};

START_TEST(test_json_utf8_boundaries)
{
	struct buf	 b = { 0 };
	size_t		 i;

	for (i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		buf_reset(&b);
		json_quote(&b, utf8_cases[i].in);
		ck_assert_msg(strcmp(buf_str(&b), utf8_cases[i].out) == 0,
		    "line %d: got %s", utf8_cases[i].line, buf_str(&b));
	}
	buf_free(&b);
}
END_TEST

static const struct {
	int		 line;
	double		 share;
	const char	*out;
} percent_cases[] = {
	{ CASE_LINE, 0.425, "42.5 %" },
	{ CASE_LINE, 0.0, "0.0 %" },
	{ CASE_LINE, 1.0, "100.0 %" },
	{ CASE_LINE, 0.9995, "100.0 %" },
	{ CASE_LINE, 0.9994, "99.9 %" },
	{ CASE_LINE, 0.00049, "0.0 %" },
	{ CASE_LINE, 0.0005, "0.1 %" },
	{ CASE_LINE, 1.0 / 3.0, "33.3 %" },
	{ CASE_LINE, -0.5, "0.0 %" },
	{ CASE_LINE, 7.0, "100.0 %" },
};

START_TEST(test_percent_limits)
{
	struct buf	 b = { 0 };
	size_t		 i;

	for (i = 0; i < sizeof(percent_cases) / sizeof(percent_cases[0]); i++) {
		buf_reset(&b);
		html_percent(&b, percent_cases[i].share);
		ck_assert_msg(strcmp(buf_str(&b), percent_cases[i].out) == 0,
		    "line %d: got %s", percent_cases[i].line, buf_str(&b));
	}
	buf_reset(&b);
	html_percent(&b, NAN);
	ck_assert_str_eq(buf_str(&b), "0.0 %");
	buf_free(&b);
}
END_TEST

START_TEST(test_csv_limits)
{
	struct buf	 b = { 0 };

	csv_field(&b, "", 1);
	csv_field(&b, NULL, 0);
	csv_field(&b, "-", 0);
	csv_field(&b, "\"", 0);
	csv_field(&b, "\r", 0);
	csv_double(&b, NAN, 0);
	csv_double(&b, INFINITY, 0);
	csv_eol(&b);
	ck_assert_str_eq(buf_str(&b), ",,'-,\"\"\"\",\"'\r\",,\r\n");
	buf_free(&b);
}
END_TEST

START_TEST(test_kind_words_out_of_range)
{
	const char	*w;

	w = page_kind_words(6, KIND__MAX, false);
	ck_assert_ptr_nonnull(w);
	ck_assert_str_ne(w, "");
	w = page_kind_words(5, KIND_GLOBAL, false);
	ck_assert_ptr_nonnull(w);
	ck_assert_str_ne(w, page_kind_words(6, KIND_GLOBAL, false));
	/* IPv4 has no Teredo: say so rather than pretend. */
	w = page_kind_words(4, KIND_TEREDO, false);
	ck_assert_ptr_null(strstr(w, "Teredo"));
	ck_assert_ptr_nonnull(strstr(w, "IPv4"));
}
END_TEST

START_TEST(test_report_empty)
{
	static const char *const want[] = {
		"from", "to", "bucket", "filters", "total", "ipv4", "ipv6",
		"ipv6_share", "prev_ipv4", "prev_ipv6", "kinds",
		"unique_prefixes", "prefixes", "hosts", "nodes", "listeners", "hows",
		"series", "readiness"
	};
	struct buf	 b = { 0 };
	struct report	 r;
	struct jv	 v;

	memset(&r, 0, sizeof(r));
	r.q.from = T0;
	r.q.to = T0 + DAY;
	r.q.bucket = 3600;
	r.q.how = -1;
	page_report_json(&b, &r);
	ck_assert_msg(json_valid(buf_str(&b), &v), "%s", buf_str(&b));
	assert_keys(&v, want, 19);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\"bucket\":\"hour\""));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\"ipv6_share\":0,"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\"kinds\":[]"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\"series\":[]"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "\"hosts\":[],\"nodes\":[],\"listeners\":[],\"hows\":[]"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "\"filters\":{\"host\":null,\"node\":null,\"how\":null}"));

	buf_reset(&b);
	page_report_csv(&b, &r);
	ck_assert_str_eq(buf_str(&b), "start,ipv4,ipv6,ipv6_share\r\n");

	buf_reset(&b);
	page_report_html(&b, &site, &r);
	ck_assert(!b.failed);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "No requests were recorded"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "No previous data"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "No data in this period."));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "No requests by host"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "No requests by socket"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "No requests by way"));
	ck_assert_ptr_null(strstr(buf_str(&b), "<svg"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "</html>"));

	buf_reset(&b);
	page_report_text(&b, &r);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "(none)"));
	buf_free(&b);
}
END_TEST

/* ---- html -------------------------------------------------------------- */

START_TEST(test_html_txt_escapes)
{
	struct buf	 b = { 0 };

	html_txt(&b, "<a href=\"x\">'&'</a>");
	ck_assert_str_eq(buf_str(&b),
	    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	buf_reset(&b);
	html_attr(&b, XSS_ATTR);
	ck_assert_str_eq(buf_str(&b),
	    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
	buf_reset(&b);
	html_txtn(&b, "a<b>c", 2);
	ck_assert_str_eq(buf_str(&b), "a&lt;");
	buf_reset(&b);
	html_txt(&b, "plain text, caf\xc3\xa9");
	ck_assert_str_eq(buf_str(&b), "plain text, caf\xc3\xa9");
	buf_reset(&b);
	html_u64(&b, UINT64_MAX);
	ck_assert_str_eq(buf_str(&b), "18446744073709551615");
	buf_free(&b);
}
END_TEST

START_TEST(test_html_frame)
{
	struct buf	 b = { 0 };

	html_open(&b, "T & T", "/s");
	html_close(&b);
	ck_assert_str_eq(buf_str(&b),
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>T &amp; T</title>\n"
	    "<link rel=\"stylesheet\" href=\"/s/dualstat.css\">\n"
	    "</head>\n<body>\n<main>\n</main>\n</body>\n</html>\n");

	buf_reset(&b);
	html_open(&b, HOSTILE, HOSTILE);
	html_close(&b);
	assert_no_raw(buf_str(&b), __LINE__);
	ck_assert_int_eq(count(buf_str(&b), HOSTILE_ESC), 2);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "href=\"" HOSTILE_ESC
	    "/dualstat.css\""));
	buf_free(&b);
}
END_TEST

static struct landing
v6_landing(void)
{
	struct landing	 l;

	memset(&l, 0, sizeof(l));
	l.client_ok = true;
	l.family = 6;
	l.kind = KIND_GLOBAL;
	l.prefix = "2001:db8:1::/48";
	l.recorded = true;
	l.share_ok = true;
	l.ipv4_24h = 575;
	l.ipv6_24h = 425;
	return l;
}

START_TEST(test_landing_content)
{
	struct buf	 b = { 0 };
	struct landing	 l = v6_landing();
	const char	*s;

	page_landing_html(&b, &site, &l);
	s = buf_str(&b);
	ck_assert(!b.failed);
	ck_assert_ptr_nonnull(strstr(s, "<title>example.org</title>"));
	ck_assert_ptr_nonnull(strstr(s, "You reached example.org over IPv6"));
	ck_assert_ptr_nonnull(strstr(s, "native IPv6"));
	ck_assert_ptr_nonnull(strstr(s,
	    "Stored: the network <code>2001:db8:1::/48</code> (not your full address)"));
	ck_assert_ptr_nonnull(strstr(s, "Not stored: your full address, user agent, cookies"));
	ck_assert_ptr_nonnull(strstr(s, "Over the last 24 hours, <strong>42.5 %</strong>"));
	ck_assert_ptr_nonnull(strstr(s, "(425 of 1000)"));
	ck_assert_ptr_nonnull(strstr(s, "href=\"/dualstat/report\""));
	ck_assert_ptr_nonnull(strstr(s, "href=\"/dualstat/status\""));
	ck_assert_ptr_nonnull(strstr(s, "owner"));
	ck_assert_ptr_nonnull(strstr(s, "href=\"/static/dualstat.css\""));
	ck_assert_ptr_null(strstr(s, "proxy you trust"));
	ck_assert_ptr_null(strstr(s, "not recorded"));
	ck_assert_ptr_null(strstr(s, "<script"));
	ck_assert_ptr_null(strstr(s, "<noscript"));
	ck_assert_ptr_null(strstr(s, "style="));

	l.family = 4;
	l.kind = KIND_CGNAT;
	l.via_proxy = true;
	l.prefix = "100.64.1.0/24";
	buf_reset(&b);
	page_landing_html(&b, &site, &l);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "You reached example.org over IPv4"));
	ck_assert_ptr_null(strstr(s, "You reached example.org over IPv6"));
	ck_assert_ptr_nonnull(strstr(s, "carrier-grade NAT"));
	ck_assert_ptr_nonnull(strstr(s, "via a proxy you trust"));
	ck_assert_ptr_nonnull(strstr(s, "<code>100.64.1.0/24</code>"));
	buf_free(&b);
}
END_TEST

/* The probes on the landing page: three images, alt text the other outcome, no script. */
START_TEST(test_landing_probes)
{
	struct buf	 b = { 0 };
	struct landing	 l = v6_landing();
	const char	*s;

	/* Not configured: no section, and nothing said about probes. */
	page_landing_html(&b, &site, &l);
	ck_assert_ptr_null(strstr(buf_str(&b), "probe"));
	buf_reset(&b);

	l.probe_v6 = l.probe_v4 = true;
	l.family = 4;
	l.kind = KIND_GLOBAL;
	page_landing_html(&b, &site, &l);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "<li>IPv6-only host: <img class=\"probe\" "
	    "src=\"/dualstat/probe/6.gif\" width=\"16\" height=\"16\" "
	    "alt=\"not reached: you have no working IPv6\"></li>"));
	ck_assert_ptr_nonnull(strstr(s, "src=\"/dualstat/probe/4.gif\""));
	ck_assert_ptr_nonnull(strstr(s, "src=\"/dualstat/probe/self.gif\""));
	ck_assert_ptr_nonnull(strstr(s, "You came over IPv4. With a check mark at the "
	    "IPv6-only host, your browser can reach IPv6-only sites: your system "
	    "prefers IPv4. Without one, you have no working IPv6: an IPv6-only site "
	    "would be out of your reach."));
	ck_assert_ptr_nonnull(strstr(s, "random single-use token"));
	ck_assert_ptr_null(strstr(s, "<script"));
	buf_reset(&b);

	l.family = 6;
	l.probe_v4 = false;
	page_landing_html(&b, &site, &l);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "You came over IPv6: an IPv6-only site is within "
	    "your reach."));
	ck_assert_ptr_null(strstr(s, "probe/4.gif"));
	buf_free(&b);
	/* The check mark is a GIF. */
	ck_assert_uint_gt(page_probe_gif_len, 6);
	ck_assert_int_eq(memcmp(page_probe_gif, "GIF89a", 6), 0);
	ck_assert_uint_eq(page_probe_gif[page_probe_gif_len - 1], 0x3b);
}
END_TEST

START_TEST(test_landing_degraded)
{
	struct buf	 b = { 0 };
	struct landing	 l = v6_landing();
	const char	*s;

	l.recorded = false;
	page_landing_html(&b, &site, &l);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s,
	    "Measurement is unavailable right now; this visit was not recorded."));
	ck_assert_ptr_null(strstr(s, "Stored: the network"));

	l = v6_landing();
	l.client_ok = false;
	l.prefix = NULL;
	buf_reset(&b);
	page_landing_html(&b, &site, &l);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Your address could not be read"));
	ck_assert_ptr_nonnull(strstr(s, "<h1>You reached example.org</h1>"));
	ck_assert_ptr_null(strstr(s, "<code>"));

	l = v6_landing();
	l.share_ok = false;
	buf_reset(&b);
	page_landing_html(&b, &site, &l);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "not available"));
	ck_assert_ptr_null(strstr(buf_str(&b), "42.5"));

	l = v6_landing();
	l.ipv4_24h = l.ipv6_24h = 0;
	buf_reset(&b);
	page_landing_html(&b, &site, &l);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "no requests yet"));
	ck_assert_ptr_null(strstr(buf_str(&b), " %"));
	buf_free(&b);
}
END_TEST

START_TEST(test_landing_hostile)
{
	struct buf	 b = { 0 };
	struct landing	 l = v6_landing();

	l.prefix = HOSTILE;
	page_landing_html(&b, &evil_site, &l);
	assert_no_raw(buf_str(&b), __LINE__);
	/* title, heading, stylesheet, prefix, two links */
	ck_assert_int_ge(count(buf_str(&b), HOSTILE_ESC), 6);
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "href=\"" HOSTILE_ESC "/report\""));
	buf_free(&b);
}
END_TEST

static const struct {
	int		 status;
	const char	*title;
} error_cases[] = {
	{ 400, "Bad request" },
	{ 403, "Forbidden" },
	{ 404, "Not found" },
	{ 405, "Method not allowed" },
	{ 500, "Internal error" },
	{ 503, "Service unavailable" },
};

START_TEST(test_error_pages)
{
	struct buf	 b = { 0 };
	char		 want[128];
	size_t		 i;

	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		buf_reset(&b);
		page_error_html(&b, &site, error_cases[i].status, "days must be 1, 7, 30 or 90");
		snprintf(want, sizeof(want), "<title>%s</title>", error_cases[i].title);
		ck_assert_msg(strstr(buf_str(&b), want) != NULL, "status %d",
		    error_cases[i].status);
		snprintf(want, sizeof(want), "<h1>%s</h1>", error_cases[i].title);
		ck_assert_msg(strstr(buf_str(&b), want) != NULL, "status %d",
		    error_cases[i].status);
		ck_assert_ptr_nonnull(strstr(buf_str(&b), "days must be 1, 7, 30 or 90"));
		ck_assert_int_eq(strstr(buf_str(&b), "admin_allow") != NULL,
		    error_cases[i].status == 403);
	}
	buf_reset(&b);
	page_error_html(&b, &site, 403, NULL);
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "The report and status pages are for the site owner. Allow your "
	    "network with admin_allow in dualstat.conf, or have the web server "
	    "authenticate you (REMOTE_USER)."));

	buf_reset(&b);
	page_error_html(&b, &evil_site, 400, HOSTILE);
	assert_no_raw(buf_str(&b), __LINE__);
	ck_assert_int_eq(count(buf_str(&b), HOSTILE_ESC), 3);
	buf_free(&b);
}
END_TEST

START_TEST(test_status_html)
{
	struct buf	 b = { 0 };
	struct status	 st = some_status();
	const char	*s;

	page_status_html(&b, &site, &st);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "Database: OK"));
	ck_assert_ptr_nonnull(strstr(s, "3d 4h 5m"));
	ck_assert_ptr_nonnull(strstr(s, "1.5 MiB"));
	ck_assert_ptr_nonnull(strstr(s, "2026-11-18T23:59:00Z"));
	ck_assert_ptr_nonnull(strstr(s, "3.46.1"));
	ck_assert_ptr_nonnull(strstr(s, "2.4.2"));
	ck_assert_ptr_nonnull(strstr(s, "4242"));
	ck_assert_ptr_nonnull(strstr(s, "<td>wal</td>"));
	ck_assert_ptr_nonnull(strstr(s, "<th scope=\"row\">Server (node)</th><td>web-1</td>"));
	ck_assert_ptr_nonnull(strstr(s, "<td>1234</td>"));
	ck_assert_ptr_nonnull(strstr(s, "<td>2001:db8::17</td>"));
	ck_assert_ptr_nonnull(strstr(s, "<td>2001:db8::/48</td>"));

	st.db_ok = false;
	st.info.writable = false;
	st.last_error = "attempt to write a readonly database";
	buf_reset(&b);
	page_status_html(&b, &site, &st);
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "Database: NOT WRITABLE \xe2\x80\x94 attempt to write a readonly database"));
	ck_assert_ptr_null(strstr(buf_str(&b), "Database: OK"));

	st.last_error = HOSTILE;
	st.database = HOSTILE;
	st.remote_addr = HOSTILE;
	st.server_addr = HOSTILE;
	st.client_prefix = HOSTILE;
	st.mode = HOSTILE;
	st.node = HOSTILE;
	buf_reset(&b);
	page_status_html(&b, &evil_site, &st);
	assert_no_raw(buf_str(&b), __LINE__);
	ck_assert_int_ge(count(buf_str(&b), HOSTILE_ESC), 9);

	/* From the command line there is no viewer to describe. */
	st = some_status();
	st.remote_addr = NULL;
	buf_reset(&b);
	page_status_html(&b, &site, &st);
	ck_assert_ptr_null(strstr(buf_str(&b), "REMOTE_ADDR"));
	buf_free(&b);
}
END_TEST

START_TEST(test_report_html)
{
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();
	const char	*s;

	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	ck_assert(!b.failed);
	ck_assert_ptr_nonnull(strstr(s, "<strong>40.0 %</strong> of 1000 requests came over IPv6"));
	ck_assert_ptr_nonnull(strstr(s, "2026-11-19T00:00:00Z"));
	ck_assert_ptr_nonnull(strstr(s, "2026-11-22T00:00:00Z"));
	ck_assert_ptr_nonnull(strstr(s, "href=\"/dualstat/report?days=1\""));
	ck_assert_ptr_nonnull(strstr(s, "href=\"/dualstat/report?days=7\""));
	ck_assert_ptr_nonnull(strstr(s, "href=\"/dualstat/report?days=30\""));
	ck_assert_ptr_nonnull(strstr(s, "href=\"/dualstat/report?days=90\""));
	ck_assert_ptr_nonnull(strstr(s,
	    "href=\"/dualstat/report.json?from=2026-11-19&amp;to=2026-11-21\""));
	ck_assert_ptr_nonnull(strstr(s,
	    "href=\"/dualstat/report.csv?from=2026-11-19&amp;to=2026-11-21\""));
	ck_assert_ptr_nonnull(strstr(s, "<code>2001:db8:1::/48</code>"));
	ck_assert_ptr_nonnull(strstr(s, "Unique prefixes: 17 IPv4, 5 IPv6"));
	ck_assert_ptr_nonnull(strstr(s, "6to4"));
	ck_assert_ptr_nonnull(strstr(s, "global (mapped)"));
	ck_assert_ptr_nonnull(strstr(s, "<th scope=\"row\">2026-11-20</th>"));
	/*
	 * Rows: 3 + 3 for the two chart tables, 3 families (and the total in
	 * tfoot), 4 kinds and their 4 groups, 2 prefixes.
	 */
	ck_assert_int_eq(count(s, "<tr>"), 3 + 3 + 2 + 4 + 2 + 1 /* head rows: */ + 6);
	ck_assert_int_eq(count(s, "<tr class=\"group\">"), 4);
	ck_assert_ptr_nonnull(strstr(s, "Native (global)"));
	ck_assert_ptr_nonnull(strstr(s, "IPv4-mapped"));
	ck_assert_ptr_nonnull(strstr(s, "Internal (ULA, private, loopback, link-local)"));
	ck_assert_ptr_null(strstr(s, "Teredo</th>"));	/* no requests: no group */
	ck_assert_ptr_null(strstr(s, "style="));
	ck_assert_ptr_null(strstr(s, "<style"));
	ck_assert_ptr_null(strstr(s, "<script"));
	/* The form goes to the report itself, by GET, with the period in it. */
	ck_assert_ptr_nonnull(strstr(s, "<form class=\"picker\" method=\"get\" "
	    "action=\"/dualstat/report\">"));
	ck_assert_ptr_nonnull(strstr(s, "name=\"from\" required min=\"1970-01-01\" "
	    "max=\"9999-12-31\" value=\"2026-11-19\""));
	ck_assert_ptr_nonnull(strstr(s, "value=\"2026-11-21\""));
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"\" selected>All hosts</option>"));
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"beacon\">the beacon</option>"));

	/* The hourly 24-hour window is asked for again as days=1. */
	r.q.from = T0 + 3600 * 5;
	r.q.to = r.q.from + DAY;
	r.q.bucket = 3600;
	buf_reset(&b);
	page_report_html(&b, &site, &r);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "href=\"/dualstat/report.json?days=1\""));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "<th scope=\"row\">2026-11-19 00:00</th>"));
	buf_free(&b);
}
END_TEST

/* The HTML report's readiness section: verdict, interval, groups, networks, series. */
START_TEST(test_report_html_readiness)
{
	struct buf			 b = { 0 };
	struct report_probe_point	 pts[2];
	struct report			 r = probe_report(pts);
	const char			*s;

	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	ck_assert(!b.failed);
	ck_assert_msg(strstr(s, "If this site were IPv6-only, about <strong>75.0 %</strong> "
	    "of its visitors could reach it (95 % interval: 62.3 % to 90.7 %, from 200 "
	    "probes).") != NULL, "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "An IPv4-only site would lose about "
	    "<strong>10.0 %</strong> of them (95 % interval: 0.0 % to 23.0 %, from 200 probes)."));
	/* Before the requests' charts: it is the headline. */
	ck_assert_ptr_nonnull(strstr(s, "Could this site go IPv6-only?"));
	ck_assert(strstr(s, "Could this site go IPv6-only?") < strstr(s, "IPv6 share day by day"));
	ck_assert_ptr_nonnull(strstr(s, "20 of 60 probed could reach the IPv6-only host: "
	    "their system prefers IPv4. The other 40 have no working IPv6"));
	ck_assert_ptr_nonnull(strstr(s, "<th scope=\"row\"><code>198.51.100.0/24</code></th>"
	    "<td>documentation</td><td class=\"num\">30</td></tr>"));
	ck_assert_ptr_nonnull(strstr(s, "2 probes came back over the wrong family"));
	ck_assert_ptr_nonnull(strstr(s, "Readiness for IPv6-only over time"));
	ck_assert_ptr_nonnull(strstr(s, "table=readiness_series"));
	ck_assert_ptr_null(strstr(s, "<script"));
	buf_free(&b);

	/* Probes, but no control came back: no verdict, and it says why. */
	r.readiness.probe[PROBE_SELF].reached = 0;
	page_report_html(&b, &site, &r);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "Too few probes for a verdict"));
	ck_assert_ptr_null(strstr(buf_str(&b), "If this site were IPv6-only"));
	buf_free(&b);
	/* No probe at all: no section. */
	r = tiny_report();
	page_report_html(&b, &site, &r);
	ck_assert_ptr_null(strstr(buf_str(&b), "IPv6-only"));
	buf_free(&b);
}
END_TEST

START_TEST(test_report_html_hostile)
{
	struct buf		 b = { 0 };
	struct report		 r = tiny_report();
	struct report_prefix	 p[1];

	memset(p, 0, sizeof(p));
	strcpy(p[0].prefix, XSS_TAG XSS_ATTR);
	p[0].family = 6;
	r.prefixes = p;
	r.nprefixes = 1;
	page_report_html(&b, &evil_site, &r);
	assert_no_raw(buf_str(&b), __LINE__);
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "href=\"" HOSTILE_ESC "/report?days=7\""));
	buf_free(&b);
}
END_TEST

/* ---- the report's charts, headline and breakdowns ----------------------- */

/* The text between the first a and the b after it ("" when missing). */
static const char *
between(char *out, size_t sz, const char *s, const char *a, const char *b)
{
	const char	*p, *q;

	out[0] = '\0';
	if ((p = strstr(s, a)) == NULL || (q = strstr(p, b)) == NULL)
		return out;
	snprintf(out, sz, "%.*s", (int)(q - p), p);
	return out;
}

START_TEST(test_report_svg)
{
	static struct report_point	 run[] = {
		{ T0, 10, 0 }, { T0 + 3600, 5, 5 }, { T0 + 7200, 0, 0 },
		{ T0 + 3 * 3600, 1, 3 }, { T0 + 4 * 3600, 0, 4 },
		{ T0 + 5 * 3600, 2, 2 }, { T0 + 6 * 3600, 0, 0 },
		{ T0 + 7 * 3600, 9, 1 },
	};
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();
	static char	 svg1[65536];
	const char	*s;

	/* Three days, the middle one empty: two points, no line across the gap. */
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	ck_assert_int_eq(count(s, "<svg "), 2);
	ck_assert_int_eq(count(s, "</svg>"), 2);
	ck_assert_int_eq(count(s, "<circle class=\"pt\""), 2);
	ck_assert_int_eq(count(s, "<polyline"), 0);
	ck_assert_ptr_nonnull(strstr(s, "viewBox=\"0 0 640 220\" role=\"img\" "
	    "aria-label=\"IPv6 share over time\">\n<title>IPv6 share over time</title>\n<desc>"));
	ck_assert_ptr_nonnull(strstr(s, "<title>Requests by family over time</title>"));
	/* Two bars of two parts each, plus the legend's two swatches. */
	ck_assert_int_eq(count(s, "<rect class=\"v4\""), 2 + 1);
	ck_assert_int_eq(count(s, "<rect class=\"v6\""), 2 + 1);
	ck_assert_ptr_nonnull(strstr(s, "<title>2026-11-19: 40.0 % IPv6 of 500 requests</title>"));
	/* Each chart is followed by its table. */
	ck_assert_ptr_nonnull(strstr(s, "</svg>\n</figure>\n<details open>\n"
	    "<summary>The IPv6 share as a table</summary>"));
	ck_assert_ptr_nonnull(strstr(s, "</svg>\n</figure>\n<details open>\n"
	    "<summary>Requests by family as a table</summary>"));
	/* 40 % of the plot height (168 from y 12) is 67.2 above the axis at 180. */
	ck_assert_ptr_nonnull(strstr(s, "cy=\"112.8\""));

	/* Hourly, eight buckets: runs of 2 and 3 points are lines; 6 points. */
	r.q.from = T0;
	r.q.to = T0 + 8 * 3600;
	r.q.bucket = 3600;
	r.series = run;
	r.nseries = 8;
	buf_reset(&b);
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	between(svg1, sizeof(svg1), s, "<svg ", "</svg>");
	ck_assert_int_eq(count(svg1, "<circle class=\"pt\""), 6);
	ck_assert_int_eq(count(svg1, "<polyline class=\"line v6\""), 2);
	ck_assert_int_eq(count(svg1, "<text"), 5 + 3);	/* y labels, 3 dates */
	ck_assert_ptr_nonnull(strstr(svg1, ">11-19 00:00</text>"));
	ck_assert_ptr_nonnull(strstr(svg1, ">11-19 07:00</text>"));
	ck_assert_ptr_null(strstr(svg1, "style"));
	ck_assert_ptr_nonnull(strstr(s, "<details open>"));

	/* A year of days folds its tables away, and keeps a point per day. */
	{
		static struct report_point	 year[365];
		size_t				 i;

		for (i = 0; i < 365; i++) {
			year[i].start = T0 + (int64_t)i * DAY;
			year[i].ipv4 = i % 3 == 0 ? 0 : i;
			year[i].ipv6 = i % 3 == 0 ? 0 : 7;
		}
		r.q.from = T0;
		r.q.to = T0 + 365 * DAY;
		r.q.bucket = DAY;
		r.series = year;
		r.nseries = 365;
		buf_reset(&b);
		page_report_html(&b, &site, &r);
		s = buf_str(&b);
		ck_assert(!b.failed);
		ck_assert_int_eq(count(s, "<circle class=\"pt\""), 243);
		ck_assert_ptr_null(strstr(s, "<details open>"));
		ck_assert_int_eq(count(s, "<details>"), 2);
	}
	buf_free(&b);
}
END_TEST

START_TEST(test_report_headline_change)
{
	static const struct {
		int		 line;
		uint64_t	 ipv4, ipv6, prev4, prev6;
		const char	*want;
	} rows[] = {
		{ CASE_LINE, 600, 400, 0, 0, "No previous data" },
		{ CASE_LINE, 600, 400, 700, 300,
		    "\xe2\x96\xb2 </span>Up 10.0 percentage points from 30.0 % "
		    "in the period of the same length before (1000 requests)." },
		{ CASE_LINE, 600, 400, 1, 1,
		    "</span>Down 10.0 percentage points from 50.0 %" },
		{ CASE_LINE, 600, 400, 3, 2,
		    "<p class=\"change same\"><span aria-hidden=\"true\">= </span>"
		    "Unchanged from 40.0 % in the period of the same length before "
		    "(5 requests)." },
		{ CASE_LINE, 600, 400, 6000, 3999,
		    "<p class=\"change same\">" },	/* 0.004 points: unchanged */
		{ CASE_LINE, 1, 0, 0, 1, "Down 100.0 percentage points from 100.0 %" },
		{ CASE_LINE, 0, 0, 9, 1,
		    "had 10 requests, 10.0 % over IPv6." },
		{ CASE_LINE, 0, 0, 0, 1, "had 1 request, 100.0 % over IPv6." },
	};
	struct buf	 b = { 0 };
	struct report	 r;
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r = tiny_report();
		r.ipv4 = rows[i].ipv4;
		r.ipv6 = rows[i].ipv6;
		r.total = r.ipv4 + r.ipv6;
		r.prev_ipv4 = rows[i].prev4;
		r.prev_ipv6 = rows[i].prev6;
		buf_reset(&b);
		page_report_html(&b, &site, &r);
		ck_assert_msg(strstr(buf_str(&b), rows[i].want) != NULL,
		    "line %d: no \"%s\"", rows[i].line, rows[i].want);
		buf_reset(&b);
		page_report_json(&b, &r);
		ck_assert_msg(count(buf_str(&b), "\"prev_ipv4\":") == 1,
		    "line %d: json", rows[i].line);
	}
	r = tiny_report();
	r.prev_ipv4 = 700;
	r.prev_ipv6 = 300;
	buf_reset(&b);
	page_report_json(&b, &r);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\"prev_ipv4\":700,\"prev_ipv6\":300,"));
	buf_reset(&b);
	page_report_text(&b, &r);
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "Up 10.0 percentage points from  30.0 % in the period"));
	buf_free(&b);
}
END_TEST

static struct report_host hosts[] = {
	{ "www.example", 10, 30 },
	{ HOSTILE, 1, 1 },
	{ "", 2, 0 },
};
static struct report_listener listeners[] = {
	{ 4, 5, 0 }, { 6, 3, 40 },
};
static struct report_how hows_[] = {
	{ 0, 7 }, { 1, 41 },
};

static struct report_node nodes_[] = {
	{ "web-1", 600, 200 },
	{ "", 0, 200 },		/* recorded before schema 5 */
};

/* By server in every format: shares, the filter links, "(unknown)". */
START_TEST(test_report_nodes)
{
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();
	struct jv	 v;
	const char	*s;

	r.nodes = nodes_;
	r.nnodes = 2;
	strcpy(r.q.host, "www.example");
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	assert_no_raw(s, __LINE__);
	ck_assert_ptr_nonnull(strstr(s, "<h2>By server</h2>"));
	/* The node as a link to its own report, the host filter kept. */
	ck_assert_msg(strstr(s, "<a class=\"node\" href=\"/dualstat/report?"
	    "from=2026-11-19&amp;to=2026-11-21&amp;host=www.example&amp;node=web-1\">"
	    "web-1</a></th><td class=\"num\">800</td><td class=\"num\">80.0 %</td>"
	    "<td class=\"num\">25.0 %</td>") != NULL, "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "<th scope=\"row\">(unknown)</th>"));
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"web-1\">web-1</option>"));
	ck_assert_ptr_nonnull(strstr(s, "table=nodes"));
	buf_reset(&b);
	strcpy(r.q.node, "web-1");
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, ", server <code class=\"node\">web-1</code>"));
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"web-1\" selected>web-1</option>"));
	buf_reset(&b);
	page_report_json(&b, &r);
	s = buf_str(&b);
	ck_assert_msg(json_valid(s, &v), "%s", s);
	ck_assert_msg(strstr(s, "\"filters\":{\"host\":\"www.example\",\"node\":\"web-1\","
	    "\"how\":null}") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "\"nodes\":[{\"node\":\"web-1\",\"requests\":800,"
	    "\"ipv4\":600,\"ipv6\":200,\"share\":0.8,\"ipv6_share\":0.25},"
	    "{\"node\":\"\",\"requests\":200,\"ipv4\":0,\"ipv6\":200,\"share\":0.2,"
	    "\"ipv6_share\":1}]") != NULL, "%s", s);
	buf_reset(&b);
	r.q.table = TABLE_NODES;
	page_report_csv(&b, &r);
	ck_assert_str_eq(buf_str(&b), "node,requests,ipv4,ipv6,share,ipv6_share\r\n"
	    "web-1,800,600,200,0.8,0.25\r\n,200,0,200,0.2,1\r\n");
	buf_reset(&b);
	page_report_text(&b, &r);
	s = buf_str(&b);
	ck_assert_msg(strstr(s, "Server: web-1\n") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "\nBy server\n") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "  web-1              800  80.0 %        600        200   25.0 %\n"
	    "  (unknown)          200  20.0 %          0        200  100.0 %\n") != NULL, "%s", s);
	buf_free(&b);
}
END_TEST

/* Hosts, listeners and ways of measuring in every format; hostile host names as text. */
START_TEST(test_report_breakdowns)
{
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();
	struct jv	 v;
	const char	*s;

	r.hosts = hosts;
	r.nhosts = 3;
	r.listeners = listeners;
	r.nlisteners = 2;
	r.hows = hows_;
	r.nhows = 2;
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	assert_no_raw(s, __LINE__);
	/* The host as a link to its own report: URL-encoded, then HTML-escaped. */
	ck_assert_ptr_nonnull(strstr(s, "<a class=\"host\" href=\"/dualstat/report?"
	    "from=2026-11-19&amp;to=2026-11-21&amp;host=www.example\">www.example</a>"));
	ck_assert_ptr_nonnull(strstr(s, "&amp;host=%3Cscript%3Ealert%281%29%3C%2Fscript%3E"
	    "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3Eit%27s%20%22a%22%20%26%20b\">"
	    HOSTILE_ESC "</a>"));
	ck_assert_ptr_nonnull(strstr(s, "(no Host header)"));
	/* The form offers the hosts (escaped) but not the empty one. */
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"www.example\">www.example</option>"));
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"" HOSTILE_ESC "\">" HOSTILE_ESC
	    "</option>"));
	ck_assert_int_eq(count(s, "<option value=\"\""), 3);	/* all hosts, servers, every way */
	ck_assert_ptr_nonnull(strstr(s, "<th scope=\"row\">IPv6 socket</th><td class=\"num\">3</td>"
	    "<td class=\"num\">40</td><td class=\"num\">43</td>"));
	/* Each way of measuring as a link to its own report, like the hosts. */
	ck_assert_ptr_nonnull(strstr(s, "<th scope=\"row\"><a class=\"how\" "
	    "href=\"/dualstat/report?from=2026-11-19&amp;to=2026-11-21&amp;how=beacon\">"
	    "the beacon</a></th><td class=\"num\">41</td>"));
	ck_assert_ptr_nonnull(strstr(s, "<a class=\"how\" href=\"/dualstat/report?"
	    "from=2026-11-19&amp;to=2026-11-21&amp;how=page\">the landing page</a>"));
	ck_assert_int_eq(count(s, "<a class=\"how\" "), 2);
	ck_assert_ptr_nonnull(strstr(s, "<td class=\"num\">75.0 %</td>"));	/* www.example */

	buf_reset(&b);
	page_report_json(&b, &r);
	s = buf_str(&b);
	ck_assert_msg(json_valid(s, &v), "%s", s);
	ck_assert_ptr_null(strchr(s, '<'));
	ck_assert_ptr_nonnull(strstr(s, "\"hosts\":[{\"host\":\"www.example\",\"ipv4\":10,\"ipv6\":30},"
	    "{\"host\":\"\\u003cscript\\u003e"));
	ck_assert_ptr_nonnull(strstr(s, "{\"host\":\"\",\"ipv4\":2,\"ipv6\":0}]"));
	ck_assert_ptr_nonnull(strstr(s, "\"listeners\":[{\"server_family\":4,\"ipv4\":5,\"ipv6\":0},"
	    "{\"server_family\":6,\"ipv4\":3,\"ipv6\":40}]"));
	ck_assert_ptr_nonnull(strstr(s, "\"hows\":[{\"how\":\"page\",\"requests\":7},"
	    "{\"how\":\"beacon\",\"requests\":41}]"));

	buf_reset(&b);
	page_report_text(&b, &r);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "\nBy host\n"));
	ck_assert_ptr_nonnull(strstr(s, "  www.example"));
	ck_assert_ptr_nonnull(strstr(s, "  IPv6                3           40\n"));
	ck_assert_ptr_nonnull(strstr(s, "  beacon                 41   4.1 %\n"));
	buf_free(&b);
}
END_TEST

/* The filters of the query reach every link, the form and every format. */
START_TEST(test_report_filters)
{
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();
	struct jv	 v;
	const char	*s;

	strcpy(r.q.host, HOSTILE);
	r.q.how = 2;	/* HOW_AUTHORIZER */
	r.hows = hows_;
	r.nhows = 2;
	page_report_html(&b, &evil_site, &r);
	s = buf_str(&b);
	assert_no_raw(s, __LINE__);
	/* A way of measuring keeps the host filter and takes the how's place. */
	ck_assert_ptr_nonnull(strstr(s, "<a class=\"how\" href=\"" HOSTILE_ESC
	    "/report?from=2026-11-19&amp;to=2026-11-21&amp;host=%3Cscript%3E"));
	ck_assert_ptr_nonnull(strstr(s, "%26%20b&amp;how=beacon\">the beacon</a>"));
	ck_assert_ptr_null(strstr(s, "how=authorizer&amp;how="));
	ck_assert_ptr_nonnull(strstr(s, ", host <code class=\"host\">" HOSTILE_ESC
	    "</code>, measured by the whole site (authorizer).</p>"));
	/* Period links keep the filters; one link drops them. */
	ck_assert_ptr_nonnull(strstr(s, "/report?days=30&amp;host=%3Cscript%3E"));
	ck_assert_ptr_nonnull(strstr(s, "%26%20b&amp;how=authorizer\">30 days</a>"));
	ck_assert_ptr_nonnull(strstr(s, "/report?from=2026-11-19&amp;to=2026-11-21\">show everything</a>"));
	ck_assert_ptr_nonnull(strstr(s, "/report.csv?from=2026-11-19&amp;to=2026-11-21&amp;host="));
	/* The filtered host is offered and chosen even when not in the list. */
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"" HOSTILE_ESC "\" selected>"));
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"authorizer\" selected>"));
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"\">All hosts</option>"));

	buf_reset(&b);
	page_report_json(&b, &r);
	s = buf_str(&b);
	ck_assert_msg(json_valid(s, &v), "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "\"filters\":{\"host\":\"\\u003cscript\\u003ealert(1)"));
	ck_assert_ptr_nonnull(strstr(s, "\"how\":\"authorizer\"},"));

	/* CSV is the series, filtered by the store: the filters leave it as it is. */
	buf_reset(&b);
	page_report_csv(&b, &r);
	ck_assert_str_eq(buf_str(&b),
	    "start,ipv4,ipv6,ipv6_share\r\n"
	    "2026-11-19T00:00:00Z,300,200,0.4\r\n"
	    "2026-11-20T00:00:00Z,0,0,\r\n"
	    "2026-11-21T00:00:00Z,300,200,0.4\r\n");

	strcpy(r.q.host, "evil\x1b]0;title\x07.example");
	buf_reset(&b);
	page_report_text(&b, &r);
	s = buf_str(&b);
	ck_assert_ptr_null(strchr(s, '\x1b'));
	ck_assert_ptr_null(strchr(s, '\x07'));
	ck_assert_ptr_nonnull(strstr(s, "Host: evil?]0;title?.example\n"));
	ck_assert_ptr_nonnull(strstr(s, "Measured by: authorizer\n"));
	buf_free(&b);
}
END_TEST

/*
 * Imported and ingested traffic (how = log) beside live traffic: its own
 * row, link and label in every format, and a filter of its own.
 */
START_TEST(test_report_how_log)
{
	static struct report_how both[] = { { 0 /* HOW_PAGE */, 7 }, { 4 /* HOW_LOG */, 993 } };
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();
	struct jv	 v;
	const char	*s;

	r.hows = both;
	r.nhows = 2;
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "<th scope=\"row\"><a class=\"how\" "
	    "href=\"/dualstat/report?from=2026-11-19&amp;to=2026-11-21&amp;how=log\">"
	    "the web server&#39;s log</a></th><td class=\"num\">993</td>"));
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"log\">the web server&#39;s log</option>"));

	buf_reset(&b);
	page_report_json(&b, &r);
	s = buf_str(&b);
	ck_assert_msg(json_valid(s, &v), "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "\"hows\":[{\"how\":\"page\",\"requests\":7},"
	    "{\"how\":\"log\",\"requests\":993}]"));

	buf_reset(&b);
	page_report_text(&b, &r);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "  log                   993  99.3 %\n"));

	buf_reset(&b);
	r.q.table = TABLE_HOWS;
	page_report_csv(&b, &r);
	ck_assert_str_eq(buf_str(&b), "how,requests\r\npage,7\r\nlog,993\r\n");

	/* Only the imported traffic: the filter names it in every format. */
	r.q.how = 4;
	buf_reset(&b);
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "<option value=\"log\" selected>"));
	ck_assert_ptr_nonnull(strstr(s, ", measured by the web server&#39;s log.</p>"));
	buf_reset(&b);
	page_report_json(&b, &r);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\"how\":\"log\"},"));
	buf_reset(&b);
	page_report_text(&b, &r);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "Measured by: log\n"));
	buf_reset(&b);
	r.q.table = TABLE_SUMMARY;
	page_report_csv(&b, &r);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "2026-11-22T00:00:00Z,,log,1000,"));
	buf_free(&b);
}
END_TEST

/* A way of measuring the page does not know is a row without a link. */
START_TEST(test_report_how_unknown)
{
	static struct report_how odd[] = { { 5 /* HOW__MAX */, 3 }, { -1, 2 } };
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();
	const char	*s;

	r.hows = odd;
	r.nhows = 2;
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	ck_assert_int_eq(count(s, "<th scope=\"row\">an unknown way</th>"), 2);
	ck_assert_ptr_null(strstr(s, "class=\"how\""));
	ck_assert_ptr_null(strstr(s, "how=&amp;"));
	buf_free(&b);
}
END_TEST

/*
 * The picker marks the preset the request used, not one of the same
 * length: a custom 30-day range must still link "30 days".
 */
START_TEST(test_report_picker)
{
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();
	const char	*s;

	r.q.from = T0;
	r.q.to = T0 + 30 * DAY;
	r.hosts = hosts;
	r.nhosts = 1;
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "<a href=\"/dualstat/report?days=30\">"
	    "30 days</a>"));
	ck_assert_ptr_null(strstr(s, "<strong class=\"current\">"));
	/* Its own links ask for the range again, not for the preset. */
	ck_assert_ptr_nonnull(strstr(s, "href=\"/dualstat/report.json?"
	    "from=2026-11-19&amp;to=2026-12-18\""));
	ck_assert_ptr_nonnull(strstr(s, "<a class=\"host\" href=\"/dualstat/"
	    "report?from=2026-11-19&amp;to=2026-12-18&amp;host=www.example\">"));

	/* The same window asked for as days=30. */
	r.q.days = 30;
	buf_reset(&b);
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "<strong class=\"current\">30 days"
	    "</strong>"));
	ck_assert_int_eq(count(s, "<strong class=\"current\">"), 1);
	ck_assert_ptr_null(strstr(s, "href=\"/dualstat/report?days=30\""));
	ck_assert_ptr_nonnull(strstr(s, "href=\"/dualstat/report?days=7\""));
	/* Links stay on the preset, so a filtered page still marks it. */
	ck_assert_ptr_nonnull(strstr(s, "href=\"/dualstat/report.json?days=30\""));
	ck_assert_ptr_nonnull(strstr(s, "<a class=\"host\" href=\"/dualstat/"
	    "report?days=30&amp;host=www.example\">"));
	buf_free(&b);
}
END_TEST

/* ---- svg --------------------------------------------------------------- */

START_TEST(test_svg_writer)
{
	static const struct {
		int		 line;
		double		 v;
		const char	*want;
	} nums[] = {
		{ CASE_LINE, 0, "0" },
		{ CASE_LINE, 12, "12" },
		{ CASE_LINE, 12.34, "12.3" },
		{ CASE_LINE, 12.35, "12.4" },
		{ CASE_LINE, 0.04, "0" },
		{ CASE_LINE, -0.04, "0" },
		{ CASE_LINE, -3.25, "-3.3" },
		{ CASE_LINE, 1e12, "0" },
		{ CASE_LINE, NAN, "0" },
		{ CASE_LINE, INFINITY, "0" },
	};
	struct buf	 b = { 0 };
	size_t		 i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		buf_reset(&b);
		svg_num(&b, nums[i].v);
		ck_assert_msg(strcmp(buf_str(&b), nums[i].want) == 0,
		    "line %d: \"%s\"", nums[i].line, buf_str(&b));
	}

	buf_reset(&b);
	svg_open(&b, HOSTILE, 10, 20, HOSTILE, HOSTILE);
	svg_text(&b, HOSTILE, 1, 2, "end", HOSTILE);
	svg_rect(&b, "v4", 1, 2, -3, 4, HOSTILE);
	svg_circle(&b, NULL, 1, 2, 3, NULL);
	svg_poly_open(&b, "line");
	svg_poly_point(&b, 1, 2);
	svg_poly_point(&b, 3.5, 4);
	svg_poly_close(&b);
	svg_close(&b);
	assert_no_raw(buf_str(&b), __LINE__);
	/* class, aria-label, title, desc; text class and content; rect tip. */
	ck_assert_int_eq(count(buf_str(&b), HOSTILE_ESC), 7);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "viewBox=\"0 0 10 20\""));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "text-anchor=\"end\""));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "width=\"0\" height=\"4\"><title>"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "<circle cx=\"1\" cy=\"2\" r=\"3\"/>"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "points=\"1,2 3.5,4 \"/>"));
	ck_assert_ptr_null(strstr(buf_str(&b), "style"));

	/* Text escaping is HTML's: inline SVG is parsed by the HTML parser. */
	buf_reset(&b);
	svg_txt(&b, "a&b");
	ck_assert_str_eq(buf_str(&b), "a&amp;b");
	buf_free(&b);
}
END_TEST

/* ---- json -------------------------------------------------------------- */

START_TEST(test_json_string_escapes)
{
	struct buf	 b = { 0 };

	json_quote(&b, "q\" b\\ \b\f\n\r\t \x01\x1f\x7f");
	ck_assert_str_eq(buf_str(&b),
	    "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f\\u007f\"");
	buf_reset(&b);
	json_quote(&b, "</script><!--&");
	ck_assert_str_eq(buf_str(&b),
	    "\"\\u003c/script\\u003e\\u003c!--\\u0026\"");
	buf_reset(&b);
	json_quote(&b, "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c");
	ck_assert_str_eq(buf_str(&b), "\"a\\u2028b\\u2029c\"");
	buf_reset(&b);
	json_quote(&b, "a\xff" "b");
	ck_assert_str_eq(buf_str(&b), "\"a\\ufffdb\"");
	buf_reset(&b);
	json_quote(&b, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	ck_assert_str_eq(buf_str(&b), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	buf_reset(&b);
	json_quote(&b, "");
	ck_assert_str_eq(buf_str(&b), "\"\"");
	buf_free(&b);
}
END_TEST

START_TEST(test_json_commas_and_values)
{
	struct buf	 b = { 0 };
	struct json	 j;
	struct jv	 v;

	json_init(&j, &b);
	json_obj_open(&j, NULL);
	json_str(&j, "s", "x");
	json_str(&j, "n", NULL);
	json_u64(&j, "u", UINT64_MAX);
	json_i64(&j, "i", INT64_MIN);
	json_bool(&j, "t", true);
	json_bool(&j, "f", false);
	json_none(&j, "z");
	json_arr_open(&j, "a");
	json_u64(&j, NULL, 1);
	json_obj_open(&j, NULL);
	json_obj_close(&j);
	json_arr_open(&j, NULL);
	json_arr_close(&j);
	json_u64(&j, NULL, 2);
	json_arr_close(&j);
	json_str(&j, "k\"<", "v");
	json_obj_close(&j);
	ck_assert(!b.failed);
	ck_assert_str_eq(buf_str(&b),
	    "{\"s\":\"x\",\"n\":null,\"u\":18446744073709551615,"
	    "\"i\":-9223372036854775808,\"t\":true,\"f\":false,\"z\":null,"
	    "\"a\":[1,{},[],2],\"k\\\"\\u003c\":\"v\"}");
	ck_assert(json_valid(buf_str(&b), &v));
	buf_free(&b);
}
END_TEST

START_TEST(test_json_double)
{
	static const struct {
		int		 line;
		double		 v;
		const char	*out;
	} cases[] = {
		{ CASE_LINE, 0.425, "0.425" },
		{ CASE_LINE, 0.0, "0" },
		{ CASE_LINE, 1.0, "1" },
		{ CASE_LINE, 1.0 / 3.0, "0.333333" },
		{ CASE_LINE, 1e-7, "1e-07" },
		{ CASE_LINE, -2.5e9, "-2.5e+09" },
	};
	struct buf	 b = { 0 };
	struct json	 j;
	struct jv	 v;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		json_init(&j, &b);
		json_double(&j, NULL, cases[i].v);
		ck_assert_msg(strcmp(buf_str(&b), cases[i].out) == 0,
		    "line %d: got %s", cases[i].line, buf_str(&b));
		ck_assert_msg(json_valid(buf_str(&b), &v), "line %d",
		    cases[i].line);
	}
	buf_reset(&b);
	json_init(&j, &b);
	json_arr_open(&j, NULL);
	json_double(&j, NULL, NAN);
	json_double(&j, NULL, INFINITY);
	json_double(&j, NULL, -INFINITY);
	json_arr_close(&j);
	ck_assert_str_eq(buf_str(&b), "[null,null,null]");
	buf_free(&b);
}
END_TEST

START_TEST(test_report_json_exact)
{
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();
	struct jv	 v;

	page_report_json(&b, &r);
	ck_assert_str_eq(buf_str(&b),
	    "{\"from\":\"2026-11-19T00:00:00Z\",\"to\":\"2026-11-22T00:00:00Z\","
	    "\"bucket\":\"day\",\"filters\":{\"host\":null,\"node\":null,\"how\":null},"
	    "\"total\":1000,\"ipv4\":600,\"ipv6\":400,"
	    "\"ipv6_share\":0.4,\"prev_ipv4\":0,\"prev_ipv6\":0,"
	    "\"kinds\":["
	    "{\"family\":6,\"kind\":\"global\",\"mapped\":false,\"requests\":300},"
	    "{\"family\":6,\"kind\":\"6to4\",\"mapped\":false,\"requests\":100},"
	    "{\"family\":4,\"kind\":\"global\",\"mapped\":true,\"requests\":500},"
	    "{\"family\":4,\"kind\":\"private\",\"mapped\":false,\"requests\":100}],"
	    "\"unique_prefixes\":{\"ipv4\":17,\"ipv6\":5},"
	    "\"prefixes\":["
	    "{\"prefix\":\"2001:db8:1::/48\",\"family\":6,\"kind\":\"documentation\",\"requests\":250},"
	    "{\"prefix\":\"192.0.2.0/24\",\"family\":4,\"kind\":\"documentation\",\"requests\":200}],"
	    "\"hosts\":[],\"nodes\":[],\"listeners\":[],\"hows\":[],"
	    "\"series\":["
	    "{\"start\":\"2026-11-19T00:00:00Z\",\"ipv4\":300,\"ipv6\":200},"
	    "{\"start\":\"2026-11-20T00:00:00Z\",\"ipv4\":0,\"ipv6\":0},"
	    "{\"start\":\"2026-11-21T00:00:00Z\",\"ipv4\":300,\"ipv6\":200}],"
	    "\"readiness\":{\"v6\":{\"started\":0,\"reached\":0,\"wrong_family\":0},"
	    "\"v4\":{\"started\":0,\"reached\":0,\"wrong_family\":0},"
	    "\"self\":{\"started\":0,\"reached\":0,\"wrong_family\":0},"
	    "\"estimate\":null,\"estimate_v4\":null,\"by_arrival\":[],\"came_back\":[],"
	    "\"lost\":[],\"series\":[]}}\n");
	ck_assert(json_valid(buf_str(&b), &v));
	buf_free(&b);
}
END_TEST

START_TEST(test_report_json_readiness)
{
	struct buf			 b = { 0 };
	struct report_probe_point	 pts[2];
	struct report			 r = probe_report(pts);
	struct jv			 v;
	const char			*s;

	page_report_json(&b, &r);
	s = buf_str(&b);
	ck_assert_msg(json_valid(s, &v), "%s", s);
	ck_assert_msg(strstr(s, "\"readiness\":{"
	    "\"v6\":{\"started\":100,\"reached\":60,\"wrong_family\":0},"
	    "\"v4\":{\"started\":100,\"reached\":72,\"wrong_family\":2},"
	    "\"self\":{\"started\":100,\"reached\":80,\"wrong_family\":0},"
	    /* (60 / 100) / (80 / 100), Katz's log interval */
	    "\"estimate\":{\"share\":0.75,\"low\":0.623075,\"high\":0.906523,\"probes\":200},"
	    "\"estimate_v4\":{\"share\":0.9,\"low\":0.769794,\"high\":1,\"probes\":200},"
	    "\"by_arrival\":["
	    "{\"family\":4,\"kind\":\"global\",\"probe\":\"v6\",\"started\":60,\"reached\":20},"
	    "{\"family\":6,\"kind\":\"nat64\",\"probe\":\"v4\",\"started\":10,\"reached\":10}],"
	    "\"came_back\":[{\"probe\":\"v4\",\"family\":6,\"kind\":\"global\",\"n\":2}],"
	    "\"lost\":[{\"prefix\":\"198.51.100.0/24\",\"family\":4,"
	    "\"kind\":\"documentation\",\"not_reached\":30}],"
	    "\"series\":["
	    "{\"start\":\"2026-11-19T00:00:00Z\","
	    "\"v6\":{\"started\":4,\"reached\":2,\"wrong_family\":0},"
	    "\"v4\":{\"started\":0,\"reached\":0,\"wrong_family\":0},"
	    "\"self\":{\"started\":4,\"reached\":4,\"wrong_family\":0},\"share\":0.5},"
	    "{\"start\":\"2026-11-20T00:00:00Z\","
	    "\"v6\":{\"started\":0,\"reached\":0,\"wrong_family\":0},"
	    "\"v4\":{\"started\":0,\"reached\":0,\"wrong_family\":0},"
	    "\"self\":{\"started\":0,\"reached\":0,\"wrong_family\":0},\"share\":null}]}}\n")
	    != NULL, "%s", s);
	buf_free(&b);
}
END_TEST

START_TEST(test_report_json_hostile)
{
	static const char *const want[] = {
		"from", "to", "bucket", "filters", "total", "ipv4", "ipv6",
		"ipv6_share", "prev_ipv4", "prev_ipv6", "kinds",
		"unique_prefixes", "prefixes", "hosts", "nodes", "listeners", "hows",
		"series", "readiness"
	};
	struct buf		 b = { 0 };
	struct report		 r = tiny_report();
	struct report_prefix	 p[1];
	struct jv		 v;

	memset(p, 0, sizeof(p));
	strcpy(p[0].prefix, "</script>\"\\\n\xff\xe2\x80\xa8");
	p[0].family = 4;
	r.prefixes = p;
	r.nprefixes = 1;
	page_report_json(&b, &r);
	ck_assert_msg(json_valid(buf_str(&b), &v), "%s", buf_str(&b));
	assert_keys(&v, want, 19);
	ck_assert_ptr_null(strchr(buf_str(&b), '<'));
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
	    "\"prefix\":\"\\u003c/script\\u003e\\\"\\\\\\n\\ufffd\\u2028\""));
	buf_free(&b);
}
END_TEST

START_TEST(test_status_json)
{
	static const char *const want[] = {
		"version", "fcgi_version", "sqlite_version", "mode", "now",
		"uptime", "pid", "node", "requests", "database", "record_failures",
		"last_error", "last_error_time", "bad_peers", "counters_shared",
		"counters_since", "probes", "ingest", "viewer"
	};
	struct buf	 b = { 0 };
	struct status	 st = some_status();
	struct jv	 v;
	const char	*s;

	page_status_json(&b, &st);
	s = buf_str(&b);
	ck_assert_msg(json_valid(s, &v), "%s", s);
	assert_keys(&v, want, (int)(sizeof(want) / sizeof(want[0])));
	ck_assert_ptr_nonnull(strstr(s, "\"database\":{\"path\":\"/var/lib/dualstat/dualstat.db\","
	    "\"ok\":true,\"schema_version\":1,\"journal_mode\":\"wal\",\"rows\":1234,"
	    "\"last_record\":\"2026-11-18T23:59:00Z\",\"size\":1572864,\"writable\":true}"));
	ck_assert_ptr_nonnull(strstr(s, "\"viewer\":{\"remote_addr\":\"2001:db8::17\","
	    "\"server_addr\":\"2001:db8::1\",\"via_proxy\":false,"
	    "\"client_prefix\":\"2001:db8::/48\"}"));
	ck_assert_ptr_nonnull(strstr(s, "\"now\":\"2026-11-19T00:00:00Z\""));
	ck_assert_ptr_nonnull(strstr(s, "\"uptime\":273906,"));
	ck_assert_ptr_nonnull(strstr(s, "\"pid\":4242,\"node\":\"web-1\",\"requests\":77,"));
	ck_assert_ptr_nonnull(strstr(s, "\"last_error\":null,\"last_error_time\":null"));
	/* The probes: every counter, the URLs (null: not set), the warnings. */
	ck_assert_ptr_nonnull(strstr(s, "\"probes\":{\"v6\":{\"url\":null,\"started\":0,"
	    "\"reached\":0,\"wrong_family\":0},"));
	buf_reset(&b);
	st.probe_url[0] = "http://v6.example.org/d";
	st.probe_started[0] = 9;
	st.probe_reached[0] = 7;
	st.probe_wrong[1] = 2;
	st.probe_started[2] = 5;
	st.probe_rejected = 3;
	st.probe_warning[0] = "mixed <content>";
	page_status_json(&b, &st);
	s = buf_str(&b);
	ck_assert_msg(json_valid(s, &v), "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "\"probes\":{\"v6\":{\"url\":"
	    "\"http://v6.example.org/d\",\"started\":9,\"reached\":7,"
	    "\"wrong_family\":0},\"v4\":{\"url\":null,\"started\":0,\"reached\":0,"
	    "\"wrong_family\":2},\"self\":{\"started\":5,\"reached\":0,"
	    "\"wrong_family\":0},\"rejected\":3,\"warnings\":[\"mixed \\u003ccontent\\u003e\"]}"));
	buf_reset(&b);
	page_status_html(&b, &site, &st);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "<p class=\"bad\">mixed &lt;content&gt;</p>"));
	ck_assert_ptr_nonnull(strstr(s, "<td>9</td><td>7</td><td>0</td>"));
	buf_reset(&b);
	st.probe_url[0] = NULL;
	st.probe_warning[0] = NULL;

	st.remote_addr = NULL;
	st.db_ok = false;
	st.have_info = false;
	st.last_error = "<b>\"x\"\n";
	st.last_error_time = T0;
	buf_reset(&b);
	page_status_json(&b, &st);
	s = buf_str(&b);
	ck_assert_msg(json_valid(s, &v), "%s", s);
	assert_keys(&v, want, (int)(sizeof(want) / sizeof(want[0])));
	ck_assert_ptr_nonnull(strstr(s, "\"viewer\":null}"));
	ck_assert_ptr_nonnull(strstr(s, "\"ok\":false,\"schema_version\":null"));
	ck_assert_ptr_nonnull(strstr(s,
	    "\"last_error\":\"\\u003cb\\u003e\\\"x\\\"\\n\",\"last_error_time\":\"2026-11-19T00:00:00Z\""));
	buf_free(&b);
}
END_TEST

/* ---- csv --------------------------------------------------------------- */

static const struct {
	int		 line;
	const char	*in;
	const char	*out;
} csv_cases[] = {
	{ CASE_LINE, "plain", "plain" },
	{ CASE_LINE, "2001:db8::/48", "2001:db8::/48" },
	{ CASE_LINE, "a,b", "\"a,b\"" },
	{ CASE_LINE, "say \"hi\"", "\"say \"\"hi\"\"\"" },
	{ CASE_LINE, "two\nlines", "\"two\nlines\"" },
	{ CASE_LINE, "cr\rhere", "\"cr\rhere\"" },
	{ CASE_LINE, "=SUM(A1:A9)", "'=SUM(A1:A9)" },
	{ CASE_LINE, "+1", "'+1" },
	{ CASE_LINE, "-1", "'-1" },
	{ CASE_LINE, "@cmd", "'@cmd" },
	{ CASE_LINE, "\tx", "'\tx" },
	{ CASE_LINE, "=HYPERLINK(\"http://x\",\"y\")",
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
	{ CASE_LINE, "a=b", "a=b" },
	{ CASE_LINE, "<script>", "<script>" },
};

START_TEST(test_csv_fields)
{
	struct buf	 b = { 0 };
	size_t		 i;

	for (i = 0; i < sizeof(csv_cases) / sizeof(csv_cases[0]); i++) {
		buf_reset(&b);
		csv_field(&b, csv_cases[i].in, 1);
		ck_assert_msg(strcmp(buf_str(&b), csv_cases[i].out) == 0,
		    "line %d: got [%s]", csv_cases[i].line, buf_str(&b));
	}
	buf_reset(&b);
	csv_field(&b, "a", 1);
	csv_u64(&b, 42, 0);
	csv_double(&b, 0.25, 0);
	csv_field(&b, "=x", 0);
	csv_eol(&b);
	csv_u64(&b, UINT64_MAX, 1);
	csv_eol(&b);
	ck_assert_str_eq(buf_str(&b), "a,42,0.25,'=x\r\n18446744073709551615\r\n");
	buf_free(&b);
}
END_TEST

START_TEST(test_report_csv)
{
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();

	page_report_csv(&b, &r);
	ck_assert_str_eq(buf_str(&b),
	    "start,ipv4,ipv6,ipv6_share\r\n"
	    "2026-11-19T00:00:00Z,300,200,0.4\r\n"
	    "2026-11-20T00:00:00Z,0,0,\r\n"
	    "2026-11-21T00:00:00Z,300,200,0.4\r\n");
	buf_free(&b);
}
END_TEST

/* Every table of ?table=, with its header and the fixture's numbers. */
static const struct {
	int			 line;
	enum report_table	 table;
	const char		*want;
} csv_tables[] = {
	{ CASE_LINE, TABLE_SERIES,
	    "start,ipv4,ipv6,ipv6_share\r\n"
	    "2026-11-19T00:00:00Z,300,200,0.4\r\n"
	    "2026-11-20T00:00:00Z,0,0,\r\n"
	    "2026-11-21T00:00:00Z,300,200,0.4\r\n" },
	{ CASE_LINE, TABLE_KINDS,
	    "family,kind,mapped,requests\r\n"
	    "6,global,false,300\r\n"
	    "6,6to4,false,100\r\n"
	    "4,global,true,500\r\n"
	    "4,private,false,100\r\n" },
	{ CASE_LINE, TABLE_PREFIXES,
	    "prefix,family,kind,requests\r\n"
	    "2001:db8:1::/48,6,documentation,250\r\n"
	    "192.0.2.0/24,4,documentation,200\r\n" },
	{ CASE_LINE, TABLE_UNIQUE,
	    "family,unique_prefixes\r\n"
	    "4,17\r\n"
	    "6,5\r\n" },
	{ CASE_LINE, TABLE_HOSTS,
	    "host,ipv4,ipv6,ipv6_share\r\n"
	    "www.example,10,30,0.75\r\n"
	    "\"<script>alert(1)</script>\"\"><img src=x onerror=alert(1)>"
	    "it's \"\"a\"\" & b\",1,1,0.5\r\n"
	    ",2,0,0\r\n" },
	{ CASE_LINE, TABLE_LISTENERS,
	    "server_family,ipv4,ipv6\r\n"
	    "4,5,0\r\n"
	    "6,3,40\r\n" },
	{ CASE_LINE, TABLE_HOWS,
	    "how,requests\r\n"
	    "page,7\r\n"
	    "beacon,41\r\n" },
	{ CASE_LINE, TABLE_SUMMARY,
	    "from,to,host,how,total,ipv4,ipv6,ipv6_share,prev_ipv4,prev_ipv6,"
	    "prev_ipv6_share,node\r\n"
	    "2026-11-19T00:00:00Z,2026-11-22T00:00:00Z,,,1000,600,400,0.4,"
	    "300,100,0.25,\r\n" },
	{ CASE_LINE, TABLE_READINESS,
	    "probe,started,reached,wrong_family,share,low,high\r\n"
	    "v6,100,60,0,0.75,0.623075,0.906523\r\n"
	    "v4,100,72,2,0.9,0.769794,1\r\n"
	    "self,100,80,0,,,\r\n" },
	{ CASE_LINE, TABLE_READINESS_ARRIVAL,
	    "family,kind,probe,started,reached\r\n"
	    "4,global,v6,60,20\r\n"
	    "6,nat64,v4,10,10\r\n" },
	{ CASE_LINE, TABLE_READINESS_BACK,
	    "probe,family,kind,probes\r\n"
	    "v4,6,global,2\r\n" },
	{ CASE_LINE, TABLE_READINESS_LOST,
	    "prefix,family,kind,not_reached\r\n"
	    "198.51.100.0/24,4,documentation,30\r\n" },
	{ CASE_LINE, TABLE_READINESS_SERIES,
	    "start,v6_started,v6_reached,v4_started,v4_reached,self_started,"
	    "self_reached,share\r\n"
	    "2026-11-19T00:00:00Z,4,2,0,0,4,4,0.5\r\n"
	    "2026-11-20T00:00:00Z,0,0,0,0,0,0,\r\n" },
	/* A value query_parse never gives: the default, not nothing. */
	{ CASE_LINE, TABLE__MAX,
	    "start,ipv4,ipv6,ipv6_share\r\n"
	    "2026-11-19T00:00:00Z,300,200,0.4\r\n"
	    "2026-11-20T00:00:00Z,0,0,\r\n"
	    "2026-11-21T00:00:00Z,300,200,0.4\r\n" },
};

START_TEST(test_report_csv_tables)
{
	struct buf			 b = { 0 };
	struct report_probe_point	 pts[2];
	struct report			 r = probe_report(pts);

	r.hosts = hosts;
	r.nhosts = 3;
	r.listeners = listeners;
	r.nlisteners = 2;
	r.hows = hows_;
	r.nhows = 2;
	r.prev_ipv4 = 300;
	r.prev_ipv6 = 100;
	r.q.table = csv_tables[_i].table;
	page_report_csv(&b, &r);
	ck_assert_msg(strcmp(buf_str(&b), csv_tables[_i].want) == 0,
	    "line %d: got [%s]", csv_tables[_i].line, buf_str(&b));
	buf_free(&b);
}
END_TEST

/* With nothing recorded each table is its header (unique and summary: zeros). */
START_TEST(test_report_csv_tables_empty)
{
	static const char *const want[TABLE__MAX] = {
		"start,ipv4,ipv6,ipv6_share\r\n",
		"family,kind,mapped,requests\r\n",
		"prefix,family,kind,requests\r\n",
		"family,unique_prefixes\r\n4,0\r\n6,0\r\n",
		"host,ipv4,ipv6,ipv6_share\r\n",
		"server_family,ipv4,ipv6\r\n",
		"how,requests\r\n",
		"from,to,host,how,total,ipv4,ipv6,ipv6_share,prev_ipv4,prev_ipv6,"
		"prev_ipv6_share,node\r\n"
		"2026-11-19T00:00:00Z,2026-11-20T00:00:00Z,,,0,0,0,,0,0,,\r\n",
		"probe,started,reached,wrong_family,share,low,high\r\n"
		"v6,0,0,0,,,\r\nv4,0,0,0,,,\r\nself,0,0,0,,,\r\n",
		"family,kind,probe,started,reached\r\n",
		"probe,family,kind,probes\r\n",
		"prefix,family,kind,not_reached\r\n",
		"start,v6_started,v6_reached,v4_started,v4_reached,self_started,"
		"self_reached,share\r\n",
		"node,requests,ipv4,ipv6,share,ipv6_share\r\n",
	};
	struct buf	 b = { 0 };
	struct report	 r;
	int		 t;

	for (t = 0; t < TABLE__MAX; t++) {
		memset(&r, 0, sizeof(r));
		r.q.from = T0;
		r.q.to = T0 + DAY;
		r.q.bucket = 3600;
		r.q.how = -1;
		r.q.table = (enum report_table)t;
		buf_reset(&b);
		page_report_csv(&b, &r);
		ck_assert_msg(strcmp(buf_str(&b), want[t]) == 0, "%s: got [%s]",
		    report_table_name((enum report_table)t), buf_str(&b));
	}
	buf_free(&b);
}
END_TEST

/*
 * Host names a client chose, in the hosts table and as the summary's
 * filter: RFC 4180 quoting, and no cell a spreadsheet would run as a
 * formula (OWASP "CSV injection": = + - @ TAB CR first).
 */
START_TEST(test_report_csv_hostile)
{
	static struct report_host evil[] = {
		{ "a,b.example", 1, 0 },
		{ "say \"hi\".example", 2, 0 },
		{ "two\nlines.example", 3, 0 },
		{ "=cmd|' /C calc'!A0", 4, 0 },
		{ "+1+1", 5, 0 },
		{ "-2+3", 6, 0 },
		{ "@SUM(A1:A2)", 7, 0 },
		{ "=HYPERLINK(\"http://x\",\"y\")", 8, 0 },
	};
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();

	r.hosts = evil;
	r.nhosts = sizeof(evil) / sizeof(evil[0]);
	r.q.table = TABLE_HOSTS;
	page_report_csv(&b, &r);
	ck_assert_str_eq(buf_str(&b),
	    "host,ipv4,ipv6,ipv6_share\r\n"
	    "\"a,b.example\",1,0,0\r\n"
	    "\"say \"\"hi\"\".example\",2,0,0\r\n"
	    "\"two\nlines.example\",3,0,0\r\n"
	    "'=cmd|' /C calc'!A0,4,0,0\r\n"
	    "'+1+1,5,0,0\r\n"
	    "'-2+3,6,0,0\r\n"
	    "'@SUM(A1:A2),7,0,0\r\n"
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",8,0,0\r\n");

	strcpy(r.q.host, "=1+1,\"x\"");
	r.q.how = 1;	/* HOW_BEACON */
	r.q.table = TABLE_SUMMARY;
	buf_reset(&b);
	page_report_csv(&b, &r);
	ck_assert_str_eq(buf_str(&b),
	    "from,to,host,how,total,ipv4,ipv6,ipv6_share,prev_ipv4,prev_ipv6,"
	    "prev_ipv6_share,node\r\n"
	    "2026-11-19T00:00:00Z,2026-11-22T00:00:00Z,\"'=1+1,\"\"x\"\"\",beacon,"
	    "1000,600,400,0.4,0,0,,\r\n");
	buf_free(&b);
}
END_TEST

/*
 * Each table of the page links its CSV with the period and filters of
 * the page, every URL escaped (the site's base is hostile here).
 */
START_TEST(test_report_csv_links)
{
	static const char *const tables[] = {
		"series", "summary", "unique", "kinds", "prefixes", "hosts",
		"listeners", "hows"
	};
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();
	char		 want[512];
	const char	*s;
	size_t		 i;

	r.hosts = hosts;
	r.nhosts = 3;
	r.listeners = listeners;
	r.nlisteners = 2;
	r.hows = hows_;
	r.nhows = 2;
	r.q.days = 7;
	strcpy(r.q.host, "a&b\"<c>");
	r.q.how = 1;	/* HOW_BEACON */
	page_report_html(&b, &site, &r);
	s = buf_str(&b);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(want, sizeof(want), "<a href=\"/dualstat/report.csv?"
		    "days=7&amp;host=a%%26b%%22%%3Cc%%3E&amp;how=beacon&amp;"
		    "table=%s\">", tables[i]);
		ck_assert_msg(strstr(s, want) != NULL, "no link: %s", want);
	}
	ck_assert_ptr_nonnull(strstr(s, "<p class=\"csv\">As CSV: <a href=\""
	    "/dualstat/report.csv?days=7&amp;host=a%26b%22%3Cc%3E&amp;how=beacon"
	    "&amp;table=kinds\">requests by kind</a></p>"));
	/* The series by both its charts, unique prefixes by both tables. */
	ck_assert_int_eq(count(s, "&amp;table=series\""), 2);
	ck_assert_int_eq(count(s, "&amp;table=unique\""), 2);
	/* The nav's "This report as CSV", and one link per table above. */
	ck_assert_int_eq(count(s, "/report.csv?"), 1 + 10);

	/* Escaped as every link is: the hostile base is text in the attribute. */
	buf_reset(&b);
	page_report_html(&b, &evil_site, &r);
	s = buf_str(&b);
	assert_no_raw(s, __LINE__);
	ck_assert_ptr_nonnull(strstr(s, "<a href=\"" HOSTILE_ESC "/report.csv?"
	    "days=7&amp;host=a%26b%22%3Cc%3E&amp;how=beacon&amp;table=hows\">"
	    "requests by way of measuring</a>"));
	buf_free(&b);
}
END_TEST

/* ---- beacon and words -------------------------------------------------- */

START_TEST(test_beacon_gif)
{
	const unsigned char	*g = page_beacon_gif;

	ck_assert_uint_eq(page_beacon_gif_len, 43);
	ck_assert(memcmp(g, "GIF89a", 6) == 0);
	ck_assert_uint_eq(g[6] | g[7] << 8, 1);		/* width */
	ck_assert_uint_eq(g[8] | g[9] << 8, 1);		/* height */
	ck_assert_uint_eq(g[10] & 0x80, 0x80);		/* global colour table */
	/* Graphic control extension with the transparency flag. */
	ck_assert_uint_eq(g[19], 0x21);
	ck_assert_uint_eq(g[20], 0xf9);
	ck_assert_uint_eq(g[22] & 0x01, 0x01);
	ck_assert_uint_eq(g[25], 0);			/* transparent index */
	/* Image descriptor: 1x1 at 0,0. */
	ck_assert_uint_eq(g[27], 0x2c);
	ck_assert_uint_eq(g[32] | g[33] << 8, 1);
	ck_assert_uint_eq(g[34] | g[35] << 8, 1);
	/* LZW minimum code size 2; one sub-block coding clear, 0, end. */
	ck_assert(memcmp(g + 37, "\x02\x02\x44\x01\x00", 5) == 0);
	ck_assert_uint_eq(g[42], 0x3b);			/* trailer */
}
END_TEST

START_TEST(test_kind_words)
{
	static const enum addr_kind v6[] = {
		KIND_GLOBAL, KIND_LOOPBACK, KIND_LINKLOCAL, KIND_DOCUMENTATION,
		KIND_RESERVED, KIND_NAT64, KIND_TEREDO, KIND_6TO4, KIND_ULA
	};
	static const enum addr_kind v4[] = {
		KIND_GLOBAL, KIND_LOOPBACK, KIND_PRIVATE, KIND_CGNAT,
		KIND_LINKLOCAL, KIND_DOCUMENTATION, KIND_RESERVED
	};
	const char	*seen[32];
	size_t		 n = 0, i, k;

	for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		seen[n++] = page_kind_words(6, v6[i], false);
	for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		seen[n++] = page_kind_words(4, v4[i], false);
		seen[n++] = page_kind_words(4, v4[i], true);
		ck_assert_msg(strstr(seen[n - 1], "IPv4-mapped") != NULL,
		    "kind %d", v4[i]);
		ck_assert_msg(strstr(seen[n - 2], "mapped") == NULL,
		    "kind %d", v4[i]);
	}
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(seen[i]);
		ck_assert_uint_gt(strlen(seen[i]), 5);
		for (k = 0; k < i; k++)
			ck_assert_msg(strcmp(seen[i], seen[k]) != 0,
			    "same words twice: %s", seen[i]);
	}
	ck_assert_str_eq(page_kind_words(6, KIND_GLOBAL, false), "native IPv6");
	ck_assert_str_eq(page_kind_words(6, KIND_6TO4, false), "IPv6 through a 6to4 relay");
	ck_assert_str_eq(page_kind_words(6, KIND_TEREDO, false), "IPv6 through a Teredo tunnel");
	ck_assert_str_eq(page_kind_words(6, KIND_NAT64, false),
	    "an IPv6-only network that reaches IPv4 through NAT64");
	ck_assert_str_eq(page_kind_words(6, KIND_ULA, false), "a private (ULA) IPv6 address");
	ck_assert_str_eq(page_kind_words(4, KIND_GLOBAL, false), "public IPv4");
	ck_assert_str_eq(page_kind_words(4, KIND_CGNAT, false), "carrier-grade NAT (shared IPv4)");
	ck_assert_ptr_nonnull(strstr(page_kind_words(4, KIND_PRIVATE, false), "RFC 1918"));
	ck_assert_ptr_nonnull(strstr(page_kind_words(6, KIND_LOOPBACK, false), "this machine"));
	ck_assert_ptr_nonnull(strstr(page_kind_words(4, KIND_DOCUMENTATION, false),
	    "documentation/test"));
	ck_assert_ptr_nonnull(strstr(page_kind_words(4, KIND_GLOBAL, true),
	    "IPv4 on an IPv6 socket (IPv4-mapped)"));
}
END_TEST

/* ---- text -------------------------------------------------------------- */

/* The text report's readiness: the verdict, both estimates, the tables. */
START_TEST(test_report_text_readiness)
{
	struct buf			 b = { 0 };
	struct report_probe_point	 pts[2];
	struct report			 r = probe_report(pts);
	const char			*s;

	page_report_text(&b, &r);
	s = buf_str(&b);
	ck_assert_msg(strstr(s, "If this site were IPv6-only, about 75.0 % (95 %: 62.3 % "
	    "to 90.7 %) of its visitors could reach it, from 200 probes.\n") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "An IPv4-only site would lose about 10.0 % (95 %:  0.0 % "
	    "to 23.0 %), from 200 probes.\n") != NULL, "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "  v4              100           72            2\n"));
	ck_assert_ptr_nonnull(strstr(s, "  IPv4 global         v6              60           20\n"));
	ck_assert_msg(strstr(s, "  198.51.100.0/24      IPv4 documentation        30 not reached\n") != NULL, "%s", s);
	ck_assert_ptr_nonnull(strstr(s, " 50.0 %\n"));
	buf_free(&b);
	/* No probe: no section. */
	r = tiny_report();
	page_report_text(&b, &r);
	ck_assert_ptr_null(strstr(buf_str(&b), "Readiness"));
	buf_free(&b);
}
END_TEST

START_TEST(test_report_text)
{
	struct buf		 b = { 0 };
	struct report		 r = tiny_report();
	struct report_prefix	 p[1];
	const char		*s;

	page_report_text(&b, &r);
	s = buf_str(&b);
	ck_assert_ptr_nonnull(strstr(s, "2026-11-19T00:00:00Z"));
	ck_assert_ptr_nonnull(strstr(s, "\n  IPv6              400  40.0 %        5\n"));
	ck_assert_ptr_nonnull(strstr(s, "No previous data"));
	ck_assert_ptr_nonnull(strstr(s, "2001:db8:1::/48"));
	/* 40 % of a 40-column bar is 16 marks. */
	ck_assert_ptr_nonnull(strstr(s, "|################........................|"));
	/* The two days with requests and the headline. */
	ck_assert_int_eq(count(s, "|################........................|"), 3);
	ck_assert_ptr_nonnull(strstr(s, "2026-11-20                0          0       -"));

	memset(p, 0, sizeof(p));
	strcpy(p[0].prefix, "\x1b[31mred");
	r.prefixes = p;
	r.nprefixes = 1;
	buf_reset(&b);
	page_report_text(&b, &r);
	ck_assert_ptr_null(strchr(buf_str(&b), '\x1b'));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "?[31mred"));
	buf_free(&b);
}
END_TEST

START_TEST(test_status_text)
{
	struct buf	 b = { 0 };
	struct status	 st = some_status();

	page_status_text(&b, &st);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "Database:              OK\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "3d 4h 5m"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "1.5 MiB"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "REMOTE_ADDR:           2001:db8::17\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "Server (node):         web-1\n"));

	st.db_ok = false;
	st.last_error = "disk\x1b[2J full";
	st.remote_addr = NULL;
	buf_reset(&b);
	page_status_text(&b, &st);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "NOT WRITABLE"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "disk?[2J full"));
	ck_assert_ptr_null(strstr(buf_str(&b), "REMOTE_ADDR"));
	buf_free(&b);
}
END_TEST

/* page_report is each format's renderer, chosen by the format alone; a CSV by rep->q.table. */
START_TEST(test_report_formats)
{
	static const struct page_site	 rootless = { NULL, NULL, "" };
	struct buf			 got = { 0 }, want = { 0 };
	struct report			 r = tiny_report();
	int				 f, t;

	r.hosts = hosts;
	r.nhosts = 3;
	for (f = 0; f < REPORT__MAX; f++) {
		ck_assert_int_eq(page_report_format_from_name(
		    page_report_format_name((enum report_format)f)), f);
		for (t = 0; t < (f == REPORT_CSV ? TABLE__MAX : 1); t++) {
			r.q.table = (enum report_table)t;
			buf_reset(&got);
			buf_reset(&want);
			page_report(&got, &site, &r, (enum report_format)f);
			switch (f) {
			case REPORT_HTML:
				page_report_html(&want, &site, &r);
				break;
			case REPORT_JSON:
				page_report_json(&want, &r);
				break;
			case REPORT_CSV:
				page_report_csv(&want, &r);
				break;
			default:
				page_report_text(&want, &r);
				break;
			}
			ck_assert_msg(got.len > 0 && got.len == want.len &&
			    memcmp(got.data, want.data, got.len) == 0,
			    "format %s, table %d differs", page_report_format_name(
			    (enum report_format)f), t);
		}
	}
	r.q.table = TABLE_SERIES;
	ck_assert_str_eq(page_report_format_name(REPORT_HTML), "html");
	ck_assert_str_eq(page_report_format_name(REPORT_JSON), "json");
	ck_assert_str_eq(page_report_format_name(REPORT_CSV), "csv");
	ck_assert_str_eq(page_report_format_name(REPORT_TEXT), "text");

	/* Without a site the page is unnamed and links from the root. */
	buf_reset(&got);
	buf_reset(&want);
	page_report(&got, NULL, &r, REPORT_HTML);
	page_report_html(&want, &rootless, &r);
	ck_assert_str_eq(buf_str(&got), buf_str(&want));
	ck_assert_ptr_nonnull(strstr(buf_str(&got), "IPv6 usage of this site"));
	ck_assert_ptr_nonnull(strstr(buf_str(&got),
	    "href=\"/report.json?from=2026-11-19&amp;to=2026-11-21\""));
	buf_reset(&got);
	page_report(&got, NULL, &r, REPORT_JSON);
	ck_assert(got.len > 0);
	buf_free(&got);
	buf_free(&want);
}
END_TEST

START_TEST(test_report_format_limits)
{
	struct buf	 b = { 0 };
	struct report	 r = tiny_report();

	ck_assert_int_eq(page_report_format_from_name(NULL), REPORT__MAX);
	ck_assert_int_eq(page_report_format_from_name(""), REPORT__MAX);
	ck_assert_int_eq(page_report_format_from_name("HTML"), REPORT__MAX);
	ck_assert_int_eq(page_report_format_from_name("json "), REPORT__MAX);
	ck_assert_int_eq(page_report_format_from_name("txt"), REPORT__MAX);
	ck_assert_str_eq(page_report_format_name(REPORT__MAX), "");
	ck_assert_str_eq(page_report_format_name((enum report_format)-1), "");
	page_report(&b, &site, &r, REPORT__MAX);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

Suite *
render_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("render");

	tc = tcase_create("buf");
	tcase_add_test(tc, test_buf_growth_1mb);
	tcase_add_test(tc, test_buf_str_never_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("html");
	tcase_add_test(tc, test_html_txt_escapes);
	tcase_add_test(tc, test_html_frame);
	tcase_add_test(tc, test_landing_content);
	tcase_add_test(tc, test_landing_probes);
	tcase_add_test(tc, test_landing_degraded);
	tcase_add_test(tc, test_landing_hostile);
	tcase_add_test(tc, test_error_pages);
	tcase_add_test(tc, test_status_html);
	tcase_add_test(tc, test_report_html);
	tcase_add_test(tc, test_report_html_readiness);
	tcase_add_test(tc, test_report_html_hostile);
	tcase_add_test(tc, test_report_svg);
	tcase_add_test(tc, test_report_headline_change);
	tcase_add_test(tc, test_report_breakdowns);
	tcase_add_test(tc, test_report_nodes);
	tcase_add_test(tc, test_report_filters);
	tcase_add_test(tc, test_report_picker);
	tcase_add_test(tc, test_report_how_unknown);
	tcase_add_test(tc, test_report_how_log);
	tcase_add_test(tc, test_svg_writer);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, test_json_string_escapes);
	tcase_add_test(tc, test_json_commas_and_values);
	tcase_add_test(tc, test_json_double);
	tcase_add_test(tc, test_report_json_exact);
	tcase_add_test(tc, test_report_json_hostile);
	tcase_add_test(tc, test_status_json);
	tcase_add_test(tc, test_report_json_readiness);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv");
	tcase_add_test(tc, test_csv_fields);
	tcase_add_test(tc, test_report_csv);
	tcase_add_loop_test(tc, test_report_csv_tables, 0,
	    sizeof(csv_tables) / sizeof(csv_tables[0]));
	tcase_add_test(tc, test_report_csv_tables_empty);
	tcase_add_test(tc, test_report_csv_hostile);
	tcase_add_test(tc, test_report_csv_links);
	suite_add_tcase(s, tc);

	tc = tcase_create("pages");
	tcase_add_test(tc, test_beacon_gif);
	tcase_add_test(tc, test_kind_words);
	tcase_add_test(tc, test_report_text);
	tcase_add_test(tc, test_report_text_readiness);
	tcase_add_test(tc, test_report_formats);
	tcase_add_test(tc, test_status_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_buf_overflow_and_failed);
	tcase_add_test(tc, test_json_depth_overflow);
	tcase_add_test(tc, test_json_utf8_boundaries);
	tcase_add_test(tc, test_percent_limits);
	tcase_add_test(tc, test_csv_limits);
	tcase_add_test(tc, test_kind_words_out_of_range);
	tcase_add_test(tc, test_report_empty);
	tcase_add_test(tc, test_report_format_limits);
	suite_add_tcase(s, tc);

	return s;
}
