/* gen-log.c: a realistic Apache combined access log for the import benchmark, deterministic, documentation addresses only. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 *   bench/gen-log [-s SEED] [-f combined|caddy] LINES > FILE
 *
 * 40 % of the lines come from IPv6 visitors, 60 % from IPv4; visitors are
 * drawn with a heavy head (a few return all the time, most once), as on a
 * real site.  Addresses only from 192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24 and 2001:db8::/32.  The lines span 30 days from
 * 2024-03-01 in Central European time, so the offset changes from +0100 to
 * +0200 on 31 March like a real server's.  Paths, statuses, sizes,
 * referrers and agents in realistic shares.  The same seed gives the same
 * file, byte for byte.  -f caddy writes the same requests as Caddy 2's JSON
 * access log lines instead (to measure the JSON parser).
 */

#define V6_VISITORS	200000
#define V4_VISITORS	762		/* every host address of the three /24s */
#define SPAN_SECONDS	(30 * 86400)
#define START		1709247600	/* 2024-03-01T00:00:00+01:00 */
#define DST_START	1711846800	/* 2024-03-31T01:00:00Z: CET becomes CEST */

static uint64_t	 rng_state;

/* xorshift64*: fast, and the same on every machine. */
static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, n). */
static uint32_t
below(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * n) >> 32);
}

/* Uniform in [0, 1). */
static double
unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

struct weighted {
	const char	*text;
	unsigned	 weight;
};

static const char *
pick(const struct weighted *w, size_t n, unsigned total)
{
	unsigned	 r = below(total);
	size_t		 i;

	for (i = 0; i < n - 1 && r >= w[i].weight; i++)
		r -= w[i].weight;
	return w[i].text;
}

#define PICK(table)	pick(table, sizeof(table) / sizeof(table[0]), table##_total)

static const struct weighted agents[] = {
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36", 30 },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Mobile/15E148 Safari/604.1", 18 },
	{ "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36", 14 },
	{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15", 9 },
	{ "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0", 6 },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0", 5 },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0", 5 },
	{ "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 4 },
	{ "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 2 },
	{ "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", 2 },
	{ "curl/8.5.0", 2 },
	{ "python-requests/2.31.0", 1 },
	{ "Wget/1.21.3", 1 },
	{ "-", 1 },
};
static const unsigned agents_total = 100;

static const struct weighted referrers[] = {
	{ "-", 38 },
	{ "https://www.example.com/", 20 },
	{ "https://www.example.com/blog/", 12 },
	{ "https://www.example.com/blog/2024/02/dual-stack-at-home/", 6 },
	{ "https://search.example.net/search?q=ipv6+share", 10 },
	{ "https://social.example.org/@someone/112034567890", 5 },
	{ "https://news.example.net/item?id=39512345", 4 },
	{ "android-app://com.example.reader/", 2 },
	{ "https://www.example.com/docs/install.html", 3 },
};
static const unsigned referrers_total = 100;

/* Pages, and the assets each page view pulls in. */
static const struct weighted pages[] = {
	{ "/", 20 },
	{ "/blog/", 10 },
	{ "/blog/2024/02/dual-stack-at-home/", 9 },
	{ "/blog/2024/03/reading-access-logs/", 7 },
	{ "/blog/2023/11/why-prefixes-not-addresses/", 4 },
	{ "/docs/install.html", 6 },
	{ "/docs/configuration.html", 4 },
	{ "/about/", 3 },
	{ "/feed.xml", 8 },
	{ "/search?q=nginx+auth_request", 2 },
	{ "/robots.txt", 3 },
	{ "/sitemap.xml", 2 },
	{ "/dualstat/beacon", 12 },
	{ "/wp-login.php", 2 },
	{ "/.env", 1 },
	{ "/tag/ipv6/?page=2", 2 },
	{ "/api/v1/stats?days=7&format=json", 5 },
};
static const unsigned pages_total = 100;

static const struct weighted assets[] = {
	{ "/css/site.css?v=7f3a2c1", 25 },
	{ "/js/app.js?v=7f3a2c1", 25 },
	{ "/img/logo.svg", 15 },
	{ "/img/photos/2024/harbour-1600w.jpg", 10 },
	{ "/fonts/inter-var.woff2", 15 },
	{ "/favicon.ico", 10 },
};
static const unsigned assets_total = 100;

static const struct weighted protocols[] = {
	{ "HTTP/1.1", 62 }, { "HTTP/2.0", 35 }, { "HTTP/1.0", 3 },
};
static const unsigned protocols_total = 100;

static char	 (*v6_text)[46];
static char	 (*v4_text)[16];

static void
make_visitors(void)
{
	static const unsigned char	 nets[3][3] = { { 192, 0, 2 }, { 198, 51, 100 }, { 203, 0, 113 } };
	unsigned char			 b[16];
	uint64_t			 r;
	unsigned			 i, k;

	v6_text = calloc(V6_VISITORS, sizeof(*v6_text));
	v4_text = calloc(V4_VISITORS, sizeof(*v4_text));
	if (v6_text == NULL || v4_text == NULL) {
		fprintf(stderr, "gen-log: out of memory\n");
		exit(1);
	}
	for (i = 0, k = 0; k < 3; k++) {
		unsigned	 h;

		for (h = 1; h < 255; h++, i++)
			snprintf(v4_text[i], sizeof(v4_text[i]), "%u.%u.%u.%u",
			    nets[k][0], nets[k][1], nets[k][2], h);
	}
	for (i = 0; i < V6_VISITORS; i++) {
		/* 2001:db8:SITE:SUBNET: a few thousand /48s, random interface ids (privacy addresses). */
		memset(b, 0, sizeof(b));
		b[0] = 0x20; b[1] = 0x01; b[2] = 0x0d; b[3] = 0xb8;
		r = rnd();
		b[4] = (unsigned char)(below(16) == 0 ? 0 : r >> 8);
		b[5] = (unsigned char)(r >> 16);
		b[7] = (unsigned char)(below(4) == 0 ? 0 : r >> 24);
		r = rnd();
		if (below(10) == 0)
			b[15] = (unsigned char)(1 + below(254));	/* a server or a static ::n */
		else
			memcpy(b + 8, &r, 8);
		inet_ntop(AF_INET6, b, v6_text[i], sizeof(v6_text[i]));
	}
}

/* A visitor index with a heavy head: u^3 puts most lines on few visitors. */
static unsigned
visitor(unsigned n)
{
	double	 u = unit();

	return (unsigned)(u * u * u * n);
}

/* Hinnant's civil_from_days: the date of a day number. */
static void
civil(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t		 era, yy;
	unsigned	 doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

/* "10/Oct/2000:13:55:36 +0100" for t in Central European time. */
static void
clf_time(int64_t t, char *out, size_t sz)
{
	static const char	 mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int			 off = t >= DST_START ? 2 : 1, y;
	unsigned		 m, d;
	int64_t			 local = t + off * 3600, s = local % 86400;

	civil(local / 86400, &y, &m, &d);
	snprintf(out, sz, "%02u/%.3s/%04d:%02d:%02d:%02d +0%d00", d, mon + 3 * (m - 1), y,
	    (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60), off);
}

static unsigned
status_and_size(bool asset, unsigned *size)
{
	unsigned	 r = below(1000);

	if (r < 80) {
		*size = 180 + below(80);
		return 304;
	}
	if (r < 130 && !asset) {
		*size = 420 + below(200);
		return 404;
	}
	if (r < 150) {
		*size = 500 + below(100);
		return below(2) ? 301 : 302;
	}
	if (r < 153) {
		*size = 600 + below(400);
		return 500;
	}
	if (r < 158) {
		*size = 400 + below(100);
		return 403;
	}
	/* 200: sizes spread over three orders of magnitude. */
	*size = 300 + (unsigned)(unit() * unit() * 250000);
	return 200;
}

int
main(int argc, char **argv)
{
	static char	 out[1 << 20];
	char		 tbuf[32], line[1024];
	const char	*host, *method, *path, *ref, *agent, *proto, *user;
	unsigned long long lines, i;
	unsigned	 status, size;
	uint64_t	 seed = 20240301;
	size_t		 used = 0;
	double		 t = START, gap;
	bool		 caddy = false, asset;
	int		 c, n, v6;

	while ((c = getopt(argc, argv, "s:f:")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'f':
			if (strcmp(optarg, "caddy") == 0)
				caddy = true;
			else if (strcmp(optarg, "combined") != 0)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	errno = 0;
	lines = strtoull(argv[optind], NULL, 10);
	if (errno != 0 || lines == 0)
		goto usage;
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	make_visitors();
	gap = (double)SPAN_SECONDS / (double)lines;

	for (i = 0; i < lines; i++) {
		/* Busier by day than by night: the gap shrinks around 14:00. */
		double	 hour = fmod((t - START) / 3600.0, 24.0);

		t += gap * 2.0 * unit() * (hour > 7 && hour < 23 ? 0.7 : 1.9);
		v6 = below(100) < 40;
		host = v6 ? v6_text[visitor(V6_VISITORS)] : v4_text[visitor(V4_VISITORS)];
		asset = below(100) < 45;
		path = asset ? PICK(assets) : PICK(pages);
		method = below(100) < 95 ? "GET" : below(2) ? "POST" : "HEAD";
		proto = PICK(protocols);
		status = status_and_size(asset, &size);
		ref = asset ? "https://www.example.com/" : PICK(referrers);
		agent = PICK(agents);
		user = below(500) == 0 ? "alice" : "-";
		if (caddy)
			n = snprintf(line, sizeof(line),
			    "{\"level\":\"info\",\"ts\":%.7f,\"logger\":\"http.log.access.log0\","
			    "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"%s\","
			    "\"remote_port\":\"%u\",\"client_ip\":\"%s\",\"proto\":\"%s\","
			    "\"method\":\"%s\",\"host\":\"www.example.com\",\"uri\":\"%s\","
			    "\"headers\":{\"User-Agent\":[\"%s\"],\"Referer\":[\"%s\"],"
			    "\"Accept\":[\"*/*\"]}},\"bytes_read\":0,\"user_id\":\"\","
			    "\"duration\":0.000%06u,\"size\":%u,\"status\":%u,"
			    "\"resp_headers\":{\"Server\":[\"Caddy\"]}}\n",
			    t, host, 1024 + below(60000), host, proto, method, path, agent,
			    ref, below(1000000), size, status);
		else {
			clf_time((int64_t)t, tbuf, sizeof(tbuf));
			n = snprintf(line, sizeof(line), "%s - %s [%s] \"%s %s %s\" %u %u \"%s\" \"%s\"\n",
			    host, user, tbuf, method, path, proto, status, size, ref, agent);
		}
		if (n < 0 || (size_t)n >= sizeof(line))
			return 1;
		if (used + (size_t)n > sizeof(out)) {
			if (fwrite(out, 1, used, stdout) != used)
				goto write_error;
			used = 0;
		}
		memcpy(out + used, line, (size_t)n);
		used += (size_t)n;
	}
	if (fwrite(out, 1, used, stdout) != used || fflush(stdout) != 0)
		goto write_error;
	return 0;
write_error:
	fprintf(stderr, "gen-log: write: %s\n", strerror(errno));
	return 1;
usage:
	fprintf(stderr, "usage: gen-log [-s SEED] [-f combined|caddy] LINES > FILE\n");
	return 2;
}
