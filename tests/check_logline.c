/* check_logline.c: one access-log line of each server's real default format; bad lines of every reason; detection. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "logline.h"
#include "check_suites.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A row's text may hold NUL bytes: then len says how long it is. */
struct row {
	int			 line;
	enum logline_format	 format;
	const char		*text;
	size_t			 len;		/* 0: strlen(text) */
	enum logline_reason	 want;
	int64_t			 time;
	const char		*client;	/* as addr_format writes it */
	bool			 mapped;
	const char		*host;		/* NULL: none */
	const char		*forwarded;	/* NULL: none */
};

#define COMBINED	LOGLINE_COMBINED
#define COMMON		LOGLINE_COMMON
#define VHOST		LOGLINE_VHOST_COMBINED
#define ALB		LOGLINE_ALB
#define CADDY		LOGLINE_CADDY

/* 10/Oct/2000:13:55:36 -0700, Apache's documentation example, and 09/Mar/2024:21:30:01 +0100. */
#define T_APACHE	971211336
#define T_2024		1710016201

/* Apache's LogFormat examples and Debian's apache2.conf, nginx's built-in combined, lighttpd's default. */
static const struct row clf_rows[] = {
	/* Apache combined: "%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" */
	{ CASE_LINE, COMBINED, "192.0.2.7 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"",
	    0, LOGLINE_OK, T_APACHE, "192.0.2.7", false, NULL, NULL },
	{ CASE_LINE, COMBINED, "2001:db8::7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 10701 \"-\" \"curl/7.88.1\"",
	    0, LOGLINE_OK, T_APACHE, "2001:db8::7", false, NULL, NULL },
	{ CASE_LINE, COMBINED, "2001:DB8:0:0:0:0:0:7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 10701 \"-\" \"curl/7.88.1\"",
	    0, LOGLINE_OK, T_APACHE, "2001:db8::7", false, NULL, NULL },
	/* A dual-stack [::] socket: an IPv4 visitor is mapped; a link-local one keeps its zone. */
	{ CASE_LINE, COMBINED, "::ffff:192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_OK, T_APACHE, "192.0.2.1", true, NULL, NULL },
	{ CASE_LINE, COMBINED, "fe80::1%eth0 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_OK, T_APACHE, "fe80::1", false, NULL, NULL },
	/* Someone's LogFormat with brackets or a port: taken too. */
	{ CASE_LINE, COMBINED, "[2001:db8::7]:50718 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_OK, T_APACHE, "2001:db8::7", false, NULL, NULL },
	{ CASE_LINE, COMBINED, "[2001:db8::7] - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_OK, T_APACHE, "2001:db8::7", false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7:50718 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_OK, T_APACHE, "192.0.2.7", false, NULL, NULL },
	/* Apache escapes a quote as \" and a backslash as \\; a user with a space. */
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET /a\\\"b\\\\ HTTP/1.1\" 404 196 \"-\" \"say \\\"hi\\\"\"",
	    0, LOGLINE_OK, T_APACHE, "192.0.2.7", false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - john doe [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_OK, T_APACHE, "192.0.2.7", false, NULL, NULL },
	/* What Apache writes for a TLS handshake on a plain port. */
	{ CASE_LINE, COMBINED, "203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] \"\\x16\\x03\\x01\\x02\\x00\\x01\" 400 392 \"-\" \"-\"",
	    0, LOGLINE_OK, T_APACHE, "203.0.113.9", false, NULL, NULL },
	{ CASE_LINE, COMBINED, "203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] \"-\" 408 - \"-\" \"-\"",
	    0, LOGLINE_OK, T_APACHE, "203.0.113.9", false, NULL, NULL },
	/* nginx's combined: '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"' */
	{ CASE_LINE, COMBINED, "203.0.113.9 - - [09/Mar/2024:21:30:01 +0100] \"GET /index.html HTTP/1.1\" 200 615 \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0\"",
	    0, LOGLINE_OK, T_2024, "203.0.113.9", false, NULL, NULL },
	{ CASE_LINE, COMBINED, "2001:db8:85a3::8a2e:370:7334 - - [09/Mar/2024:21:30:01 +0100] \"GET /a\\x22b HTTP/2.0\" 200 615 \"https://example.org/\" \"curl/8.5.0\"",
	    0, LOGLINE_OK, T_2024, "2001:db8:85a3::8a2e:370:7334", false, NULL, NULL },
	/* nginx's commented "main": combined and "$http_x_forwarded_for" after it. */
	{ CASE_LINE, COMBINED, "203.0.113.9 - - [09/Mar/2024:21:30:01 +0100] \"GET / HTTP/1.1\" 200 615 \"-\" \"curl/8.5.0\" \"198.51.100.4\"",
	    0, LOGLINE_OK, T_2024, "203.0.113.9", false, NULL, NULL },
	/* lighttpd's default: "%h %V %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"": the host second. */
	{ CASE_LINE, COMBINED, "198.51.100.20 www.example.org - [09/Mar/2024:21:30:01 +0100] \"GET /dualstat/ HTTP/1.1\" 200 1812 \"-\" \"Wget/1.21.3\"",
	    0, LOGLINE_OK, T_2024, "198.51.100.20", false, "www.example.org", NULL },
	{ CASE_LINE, COMBINED, "2001:db8:ffff::1 [::1]:8080 - [09/Mar/2024:21:30:01 +0100] \"GET / HTTP/1.1\" 200 1812 \"-\" \"curl/7.88.1\"",
	    0, LOGLINE_OK, T_2024, "2001:db8:ffff::1", false, "[::1]:8080", NULL },
	/* Apache common, and Debian's common with %O. */
	{ CASE_LINE, COMMON, "192.0.2.7 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
	    0, LOGLINE_OK, T_APACHE, "192.0.2.7", false, NULL, NULL },
	{ CASE_LINE, COMMON, "2001:db8::7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 304 -",
	    0, LOGLINE_OK, T_APACHE, "2001:db8::7", false, NULL, NULL },
	{ CASE_LINE, COMMON, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326 \"-\" \"curl\"",
	    0, LOGLINE_OK, T_APACHE, "192.0.2.7", false, NULL, NULL },
	/* Apache vhost_combined: "%v:%p %h %l %u %t ..." */
	{ CASE_LINE, VHOST, "www.example.com:443 2001:db8::7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/2.0\" 200 10701 \"-\" \"curl/7.88.1\"",
	    0, LOGLINE_OK, T_APACHE, "2001:db8::7", false, "www.example.com", NULL },
	{ CASE_LINE, VHOST, "localhost:80 ::ffff:203.0.113.5 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_OK, T_APACHE, "203.0.113.5", true, "localhost", NULL },
	{ CASE_LINE, VHOST, "[2001:db8::1]:8443 192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_OK, T_APACHE, "192.0.2.7", false, "[2001:db8::1]", NULL },

	/* HostnameLookups On, or a Unix socket in nginx: no address to count. */
	{ CASE_LINE, COMBINED, "client-7.example.net - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "unix: - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.300 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7%eth0 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, VHOST, "www.example.com:443 client-7.example.net - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	/* Times that are not. */
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [31/Apr/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_TIME, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 +2500] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_TIME, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Okt/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_TIME, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMMON, "client-7.example.net - - [31/Apr/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5",
	    0, LOGLINE_BAD_TIME, 0, NULL, false, NULL, NULL },
	/* Lines that end early: a crash, a full disk, a copy cut short. */
	{ CASE_LINE, COMBINED, "192.0.2.7", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700]", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HT", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 20", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 ", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0 (X11", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"ends in \\\"", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMMON, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\"", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, VHOST, "www.example.com:443", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	/* Not these formats at all. */
	{ CASE_LINE, COMBINED, "hello", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "hello world, this is not a log line", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - 10/Oct/2000:13:55:36 -0700 \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700) \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] GET / HTTP/1.1 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" OK 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 2000 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 x \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 - \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"x",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, " 192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMMON, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5x", 0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, VHOST, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, VHOST, ":443 192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, VHOST, "www.example.com:https 192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, VHOST, "www.example.com:70000 192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	/* Binary: raw TLS bytes, a NUL, a control byte (servers escape them all). */
	{ CASE_LINE, COMBINED, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11, LOGLINE_BINARY,
	    0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"a\0b\"",
	    sizeof("192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"a\0b\"") - 1,
	    LOGLINE_BINARY, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET /\x01 HTTP/1.1\" 200 5 \"-\"",
	    0, LOGLINE_BINARY, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "\x7f\x45LF\x02\x01\x01", 0, LOGLINE_BINARY, 0, NULL, false, NULL, NULL },
	/* Nothing there; a CRLF file. */
	{ CASE_LINE, COMBINED, "", 0, LOGLINE_EMPTY, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "   \t ", 0, LOGLINE_EMPTY, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "\r", 0, LOGLINE_EMPTY, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, COMBINED, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"\r",
	    0, LOGLINE_OK, T_APACHE, "192.0.2.7", false, NULL, NULL },
	{ CASE_LINE, COMBINED, "# a comment", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
};

/*
 * AWS's documented examples (Elastic Load Balancing, "Access log entries":
 * HTTP, HTTPS, HTTP/2, WebSockets), client and target addresses changed to
 * documentation ones; request_creation_time 2018-07-02T22:22:48Z.
 */
#define ALB_ARN	"arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067"
#define ALB_CERT "\"arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012\""
#define T_ALB_CREATED	1530570168
#define T_ALB_TIME	1530570180

static const struct row alb_rows[] = {
	{ CASE_LINE, ALB, "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39:2817 203.0.113.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - - " ALB_ARN " \"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\" \"203.0.113.1:80\" \"200\" \"-\" \"-\" TID_1234abcd5678ef90",
	    0, LOGLINE_OK, T_ALB_CREATED, "192.0.2.39", false, "www.example.com:80", NULL },
	{ CASE_LINE, ALB, "https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39:2817 203.0.113.1:80 0.086 0.048 0.037 200 200 0 57 \"GET https://www.example.com:443/ HTTP/1.1\" \"curl/7.46.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " ALB_ARN " \"Root=1-58337281-1d84f3d73c47ec4e58577259\" \"www.example.com\" " ALB_CERT " 1 2018-07-02T22:22:48.364000Z \"authenticate,forward\" \"-\" \"-\" \"203.0.113.1:80\" \"200\" \"-\" \"-\" TID_1234abcd5678ef90",
	    0, LOGLINE_OK, T_ALB_CREATED, "192.0.2.39", false, "www.example.com", NULL },
	/* IPv6 clients come without brackets: the port follows the last colon. */
	{ CASE_LINE, ALB, "h2 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 2001:db8::1:50718 203.0.113.1:80 0.000 0.002 0.000 200 200 5 257 \"GET https://203.0.113.10:443/ HTTP/2.0\" \"curl/7.46.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " ALB_ARN " \"Root=1-58337327-72bd00b0343d75b906739c42\" \"-\" \"-\" 1 2018-07-02T22:22:48.364000Z \"redirect\" \"https://example.com:80/\" \"-\" \"203.0.113.1:80\" \"200\" \"-\" \"-\"",
	    0, LOGLINE_OK, T_ALB_CREATED, "2001:db8::1", false, "203.0.113.10:443", NULL },
	{ CASE_LINE, ALB, "wss 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 2001:db8:0:1::a:40914 203.0.113.1:80 0.002 0.001 0.000 101 101 218 786 \"GET wss://www.example.com:443/ HTTP/1.1\" \"-\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " ALB_ARN " \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"www.example.com\" " ALB_CERT " 1 2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\" \"203.0.113.1:80\" \"101\" \"-\" \"-\"",
	    0, LOGLINE_OK, T_ALB_CREATED, "2001:db8:0:1::a", false, "www.example.com", NULL },
	{ CASE_LINE, ALB, "ws 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 ::ffff:192.0.2.39:2817 203.0.113.1:80 0.002 0.001 0.000 101 101 218 587 \"GET http://203.0.113.10:80/ HTTP/1.1\" \"-\" - - " ALB_ARN " \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 1 2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\" \"203.0.113.1:80\" \"101\" \"-\" \"-\"",
	    0, LOGLINE_OK, T_ALB_CREATED, "192.0.2.39", true, "203.0.113.10:80", NULL },
	{ CASE_LINE, ALB, "grpcs 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 [2001:db8::1]:50718 203.0.113.1:80 0.000 0.002 0.000 200 200 5 257 \"POST https://www.example.com:443/helloworld.Greeter/SayHello HTTP/2.0\" \"grpc-go/1.20.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " ALB_ARN " \"Root=1-58337327-72bd00b0343d75b906739c42\" \"www.example.com\" \"-\" 1 2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\" \"203.0.113.1:80\" \"200\" \"-\" \"-\"",
	    0, LOGLINE_OK, T_ALB_CREATED, "2001:db8::1", false, "www.example.com", NULL },
	/* An older line (before request_creation_time): the response's time. */
	{ CASE_LINE, ALB, "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39:2817 203.0.113.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - - " ALB_ARN,
	    0, LOGLINE_OK, T_ALB_TIME, "192.0.2.39", false, "www.example.com:80", NULL },
	{ CASE_LINE, ALB, "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39:2817 - -1 -1 -1 460 - 34 0 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - - - \"-\" \"-\" \"-\" - - \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\"",
	    0, LOGLINE_OK, T_ALB_TIME, "192.0.2.39", false, "www.example.com:80", NULL },
	/* Bad ones. */
	{ CASE_LINE, ALB, "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39 203.0.113.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - -",
	    0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, ALB, "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 2001:db8::1 203.0.113.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - -",
	    0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, ALB, "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39:99999 203.0.113.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - -",
	    0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, ALB, "http 2018-07-02 app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39:2817 203.0.113.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - -",
	    0, LOGLINE_BAD_TIME, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, ALB, "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39:2817 203.0.113.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46",
	    0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, ALB, "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39:2817", 0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, ALB, "ftp 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39:2817 203.0.113.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - -",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, ALB, "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.39:2817 203.0.113.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\"x \"curl/7.46.0\" - -",
	    0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, ALB, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"", 0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
};

/* Caddy 2.7's access log as its JSON encoder writes it (one line each). */
#define CADDY_TAIL	",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/\",\"headers\":{\"User-Agent\":[\"curl/7.82.0\"],\"Accept\":[\"*/*\"],\"Accept-Encoding\":[\"gzip, deflate, br\"]},\"tls\":{\"resumed\":false,\"version\":772,\"cipher_suite\":4865,\"proto\":\"h2\",\"server_name\":\"example.com\"}},\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.000929675,\"size\":10900,\"status\":200,\"resp_headers\":{\"Server\":[\"Caddy\"],\"Content-Encoding\":[\"gzip\"],\"Content-Type\":[\"text/html; charset=utf-8\"],\"Vary\":[\"Accept-Encoding\"]}}"
#define CADDY_HEAD	"{\"level\":\"info\",\"ts\":1646861401.5241024,\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{"
#define T_CADDY		1646861401

static const struct row caddy_rows[] = {
	{ CASE_LINE, CADDY, CADDY_HEAD "\"remote_ip\":\"192.0.2.7\",\"remote_port\":\"41342\",\"client_ip\":\"192.0.2.7\"" CADDY_TAIL,
	    0, LOGLINE_OK, T_CADDY, "192.0.2.7", false, "example.com", NULL },
	{ CASE_LINE, CADDY, CADDY_HEAD "\"remote_ip\":\"2001:db8::7\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::7\"" CADDY_TAIL,
	    0, LOGLINE_OK, T_CADDY, "2001:db8::7", false, "example.com", NULL },
	/* Behind a proxy Caddy trusts: client_ip is what it resolved; dualstat decides with its own list. */
	{ CASE_LINE, CADDY, CADDY_HEAD "\"remote_ip\":\"198.51.100.1\",\"remote_port\":\"41342\",\"client_ip\":\"2001:db8::7\"" CADDY_TAIL,
	    0, LOGLINE_OK, T_CADDY, "198.51.100.1", false, "example.com", "2001:db8::7" },
	{ CASE_LINE, CADDY, CADDY_HEAD "\"remote_ip\":\"::ffff:192.0.2.7\",\"remote_port\":\"41342\"" CADDY_TAIL,
	    0, LOGLINE_OK, T_CADDY, "192.0.2.7", true, "example.com", NULL },
	{ CASE_LINE, CADDY, CADDY_HEAD "\"remote_ip\":\"fe80::1%eth0\",\"remote_port\":\"41342\"" CADDY_TAIL,
	    0, LOGLINE_OK, T_CADDY, "fe80::1", false, "example.com", NULL },
	/* Caddy before 2.5: remote_addr with the port, IPv6 bracketed as Go writes it. */
	{ CASE_LINE, CADDY, CADDY_HEAD "\"remote_addr\":\"[2001:db8::7]:41342\"" CADDY_TAIL,
	    0, LOGLINE_OK, T_CADDY, "2001:db8::7", false, "example.com", NULL },
	{ CASE_LINE, CADDY, CADDY_HEAD "\"remote_addr\":\"192.0.2.7:41342\"" CADDY_TAIL,
	    0, LOGLINE_OK, T_CADDY, "192.0.2.7", false, "example.com", NULL },
	/* Other time_format settings. */
	{ CASE_LINE, CADDY, "{\"ts\":\"2022-03-09T22:30:01.524+01:00\",\"request\":{\"remote_ip\":\"192.0.2.7\"}}",
	    0, LOGLINE_OK, T_CADDY, "192.0.2.7", false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":1646861401524.1024,\"request\":{\"remote_ip\":\"192.0.2.7\",\"host\":\"\"}}",
	    0, LOGLINE_OK, T_CADDY, "192.0.2.7", false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":\"09/Mar/2022:21:30:01 +0000\",\"request\":{\"remote_ip\":\"192.0.2.7\"}}",
	    0, LOGLINE_OK, T_CADDY, "192.0.2.7", false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":\"[09/Mar/2022:21:30:01 +0000]\",\"request\":{\"remote_ip\":\"192.0.2.7\"}}",
	    0, LOGLINE_OK, T_CADDY, "192.0.2.7", false, NULL, NULL },
	/* Bad ones. */
	{ CASE_LINE, CADDY, "{\"level\":\"info\",\"ts\":1646861401.5,\"logger\":\"tls.obtain\",\"msg\":\"certificate obtained successfully\"}",
	    0, LOGLINE_NOT_A_REQUEST, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":1646861401.5,\"request\":\"GET /\"}", 0, LOGLINE_NOT_A_REQUEST, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":1646861401.5,\"request\":{\"remote_ip\":\"unix\"}}", 0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":1646861401.5,\"request\":{\"remote_ip\":7}}", 0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":1646861401.5,\"request\":{}}", 0, LOGLINE_NOT_AN_ADDRESS, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":\"yesterday\",\"request\":{\"remote_ip\":\"192.0.2.7\"}}", 0, LOGLINE_BAD_TIME, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":-5,\"request\":{\"remote_ip\":\"192.0.2.7\"}}", 0, LOGLINE_BAD_TIME, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"request\":{\"remote_ip\":\"192.0.2.7\"}}", 0, LOGLINE_BAD_TIME, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, CADDY_HEAD "\"remote_ip\":\"192.0.2.7\",\"remote_port\":\"41342\",\"client_ip\":\"192.0.2.7\",\"proto\":\"HTTP/2.0\",\"meth",
	    0, LOGLINE_CUT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":1646861401.5,\"request\":{\"remote_ip\":\"192.0.2.7\"}} x", 0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "[1,2,3]", 0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{'ts':1}", 0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":1646861401.5,\"request\":{\"remote_ip\":\"192.0.2.7\",\"uri\":\"\xff\xfe\"}}", 0, LOGLINE_BINARY, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "{\"ts\":1646861401.5,\"request\":{\"remote_ip\":\"192.0.2.7\\u0000\"}}", 0, LOGLINE_BINARY, 0, NULL, false, NULL, NULL },
	{ CASE_LINE, CADDY, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"", 0, LOGLINE_BAD_FORMAT, 0, NULL, false, NULL, NULL },
};

static void
check_row(const struct row *r)
{
	struct logline_parser	*lp;
	struct logline		 out;
	enum logline_reason	 got;
	char			*buf, text[ADDR_PREFIX_MAX];
	size_t			 len = r->len != 0 ? r->len : strlen(r->text);

	ck_assert((lp = logline_parser_new(r->format)) != NULL);
	/* Exactly len bytes and the one writable byte after them: no reading past. */
	ck_assert((buf = malloc(len + 1)) != NULL);
	memcpy(buf, r->text, len);
	buf[len] = 'X';
	got = logline_parse(lp, buf, len, &out);
	ck_assert_msg(got == r->want, "line %d: %s, want %s", r->line,
	    logline_reason_name(got), logline_reason_name(r->want));
	if (got == LOGLINE_OK) {
		ck_assert_msg(out.time == r->time, "line %d: time %lld, want %lld",
		    r->line, (long long)out.time, (long long)r->time);
		ck_assert(addr_format(&out.client, text, sizeof(text)) == 0);
		ck_assert_msg(strcmp(text, r->client) == 0, "line %d: client %s, want %s",
		    r->line, text, r->client);
		ck_assert_msg(out.client.mapped == r->mapped, "line %d: mapped %d",
		    r->line, out.client.mapped);
		if (r->host == NULL)
			ck_assert_msg(out.host == NULL, "line %d: host \"%s\"", r->line, out.host);
		else
			ck_assert_msg(out.host != NULL && strcmp(out.host, r->host) == 0,
			    "line %d: host \"%s\", want \"%s\"", r->line,
			    out.host != NULL ? out.host : "(none)", r->host);
		if (r->forwarded == NULL)
			ck_assert_msg(out.forwarded == NULL, "line %d: forwarded \"%s\"",
			    r->line, out.forwarded);
		else
			ck_assert_msg(out.forwarded != NULL &&
			    strcmp(out.forwarded, r->forwarded) == 0,
			    "line %d: forwarded \"%s\", want \"%s\"", r->line,
			    out.forwarded != NULL ? out.forwarded : "(none)", r->forwarded);
	}
	free(buf);
	logline_parser_free(lp);
}

START_TEST(clf)
{
	check_row(&clf_rows[_i]);
}
END_TEST

START_TEST(alb)
{
	check_row(&alb_rows[_i]);
}
END_TEST

START_TEST(caddy)
{
	check_row(&caddy_rows[_i]);
}
END_TEST

/* Parse a NUL-terminated line through a parser kept across lines (CloudFront's state). */
static enum logline_reason
feed(struct logline_parser *lp, const char *line, char *buf, size_t bufsz,
    struct logline *out)
{
	size_t	 n = strlen(line);

	ck_assert(n < bufsz);
	memcpy(buf, line, n + 1);
	return logline_parse(lp, buf, n, out);
}

/* The header and first line of CloudFront's documented example log file. */
#define CF_VERSION	"#Version: 1.0"
#define CF_FIELDS	"#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end"
#define CF_LINE(cip, host, xff) \
	"2019-12-04\t21:02:31\tLAX1\t392\t" cip "\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\tMozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/78.0.3904.108%20Safari/537.36\t-\t-\tHit\tSOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\t" host "\thttps\t23\t0.001\t" xff "\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t11040\t0.001\tHit\ttext/html\t78\t-\t-"
#define T_CF	1575493351

START_TEST(cloudfront_documented)
{
	struct logline_parser	*lp = logline_parser_new(LOGLINE_CLOUDFRONT);
	struct logline		 out;
	char			 buf[2048], text[ADDR_PREFIX_MAX];

	ck_assert_ptr_nonnull(lp);
	ck_assert_int_eq(feed(lp, CF_VERSION, buf, sizeof(buf), &out), LOGLINE_COMMENT);
	ck_assert_int_eq(feed(lp, CF_FIELDS, buf, sizeof(buf), &out), LOGLINE_COMMENT);
	ck_assert_int_eq(feed(lp, CF_LINE("192.0.2.100", "d111111abcdef8.cloudfront.net", "-"),
	    buf, sizeof(buf), &out), LOGLINE_OK);
	ck_assert_int_eq(out.time, T_CF);
	ck_assert(addr_format(&out.client, text, sizeof(text)) == 0);
	ck_assert_str_eq(text, "192.0.2.100");
	ck_assert_str_eq(out.host, "d111111abcdef8.cloudfront.net");
	ck_assert_ptr_null(out.forwarded);

	/* An alternate domain name, IPv6, and a viewer behind its own proxy (percent-encoded list). */
	ck_assert_int_eq(feed(lp, CF_LINE("2001:db8::100", "www.example.com",
	    "198.51.100.1,%20192.0.2.200"), buf, sizeof(buf), &out), LOGLINE_OK);
	ck_assert(addr_format(&out.client, text, sizeof(text)) == 0);
	ck_assert_str_eq(text, "2001:db8::100");
	ck_assert_str_eq(out.host, "www.example.com");
	ck_assert_str_eq(out.forwarded, "198.51.100.1, 192.0.2.200");
	ck_assert_int_eq(feed(lp, CF_LINE("2001:db8::100", "-", "2001:db8::5"),
	    buf, sizeof(buf), &out), LOGLINE_OK);
	ck_assert_str_eq(out.host, "d111111abcdef8.cloudfront.net");
	ck_assert_str_eq(out.forwarded, "2001:db8::5");
	/* %00 stays as it is: a NUL would cut the list short. */
	ck_assert_int_eq(feed(lp, CF_LINE("192.0.2.100", "-", "192.0.2.1%00"),
	    buf, sizeof(buf), &out), LOGLINE_OK);
	ck_assert_str_eq(out.forwarded, "192.0.2.1%00");

	ck_assert_int_eq(feed(lp, CF_LINE("client.example.net", "-", "-"), buf, sizeof(buf), &out),
	    LOGLINE_NOT_AN_ADDRESS);
	ck_assert_int_eq(feed(lp, "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET",
	    buf, sizeof(buf), &out), LOGLINE_CUT);
	ck_assert_int_eq(feed(lp, "2019-12-32\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/\t200\t-\t-\t-\t-\tHit\tx\t-\thttps\t23\t0.001\t-",
	    buf, sizeof(buf), &out), LOGLINE_BAD_TIME);
	ck_assert_int_eq(feed(lp, "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"",
	    buf, sizeof(buf), &out), LOGLINE_CUT);
	ck_assert_int_eq(feed(lp, "", buf, sizeof(buf), &out), LOGLINE_EMPTY);
	logline_parser_free(lp);
}
END_TEST

/* The field order is the file's: another #Fields line, other positions. */
START_TEST(cloudfront_fields_order)
{
	struct logline_parser	*lp = logline_parser_new(LOGLINE_CLOUDFRONT);
	struct logline		 out;
	char			 buf[512], text[ADDR_PREFIX_MAX];

	ck_assert_ptr_nonnull(lp);
	/* Before any #Fields: the documented order. */
	ck_assert_int_eq(feed(lp, CF_LINE("192.0.2.100", "www.example.com", "-"),
	    buf, sizeof(buf), &out), LOGLINE_OK);
	ck_assert_str_eq(out.host, "www.example.com");

	ck_assert_int_eq(feed(lp, "#Fields: x-forwarded-for c-ip time date",
	    buf, sizeof(buf), &out), LOGLINE_COMMENT);
	/* The last field read ends the line: its NUL goes on line[len]. */
	ck_assert_int_eq(feed(lp, "198.51.100.3\t2001:db8::9\t21:02:31\t2019-12-04",
	    buf, sizeof(buf), &out), LOGLINE_OK);
	ck_assert_int_eq(out.time, T_CF);
	ck_assert(addr_format(&out.client, text, sizeof(text)) == 0);
	ck_assert_str_eq(text, "2001:db8::9");
	ck_assert_str_eq(out.forwarded, "198.51.100.3");
	ck_assert_ptr_null(out.host);
	ck_assert_int_eq(feed(lp, "-\t192.0.2.100\t21:02:31", buf, sizeof(buf), &out), LOGLINE_CUT);

	/* A header without c-ip: its lines cannot be read, until a usable header. */
	ck_assert_int_eq(feed(lp, "#Fields: date time cs(Host)", buf, sizeof(buf), &out),
	    LOGLINE_BAD_HEADER);
	ck_assert_int_eq(feed(lp, "2019-12-04\t21:02:31\twww.example.com", buf, sizeof(buf), &out),
	    LOGLINE_BAD_HEADER);
	ck_assert_int_eq(feed(lp, "#Fields:", buf, sizeof(buf), &out), LOGLINE_BAD_HEADER);
	ck_assert_int_eq(feed(lp, "#Fields: date time c-ip cs(Host)", buf, sizeof(buf), &out),
	    LOGLINE_COMMENT);
	ck_assert_int_eq(feed(lp, "2019-12-04\t21:02:31\t192.0.2.100\twww.example.com",
	    buf, sizeof(buf), &out), LOGLINE_OK);
	ck_assert_str_eq(out.host, "www.example.com");
	ck_assert_ptr_null(out.forwarded);
	/* Spaces are not W3C separators; other comments are comments. */
	ck_assert_int_eq(feed(lp, "2019-12-04 21:02:31 192.0.2.100 www.example.com",
	    buf, sizeof(buf), &out), LOGLINE_CUT);
	ck_assert_int_eq(feed(lp, "2019-12-04\t21:02:31\t192.0.2.100 x\twww.example.com",
	    buf, sizeof(buf), &out), LOGLINE_BAD_FORMAT);
	ck_assert_int_eq(feed(lp, "#Remark: anything", buf, sizeof(buf), &out), LOGLINE_COMMENT);
	logline_parser_free(lp);
}
END_TEST

/* Only the bytes after host and forwarded change (to NUL); the address is copied nowhere but out.client. */
START_TEST(writes_only_terminators)
{
	static const char	 line[] =
	    "www.example.com:443 2001:db8::7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/2.0\" 200 10701 \"-\" \"curl/7.88.1\"";
	struct logline_parser	*lp = logline_parser_new(LOGLINE_VHOST_COMBINED);
	struct logline		 out;
	char			 buf[sizeof(line)];
	size_t			 i, changed = 0;

	memcpy(buf, line, sizeof(line));
	ck_assert_int_eq(logline_parse(lp, buf, sizeof(line) - 1, &out), LOGLINE_OK);
	for (i = 0; i < sizeof(line); i++)
		if (buf[i] != line[i]) {
			ck_assert_int_eq(buf[i], '\0');
			changed++;
		}
	ck_assert_int_eq(changed, 1);
	ck_assert(out.host == buf);
	logline_parser_free(lp);
}
END_TEST

/* A Caddy line's strings live in the parser until its next line. */
START_TEST(caddy_strings_held)
{
	struct logline_parser	*lp = logline_parser_new(LOGLINE_CADDY);
	struct logline		 out;
	char			 buf[1024];

	ck_assert_int_eq(feed(lp, CADDY_HEAD "\"remote_ip\":\"198.51.100.1\",\"client_ip\":\"2001:db8::7\"" CADDY_TAIL,
	    buf, sizeof(buf), &out), LOGLINE_OK);
	memset(buf, 'Z', sizeof(buf));
	ck_assert_str_eq(out.host, "example.com");
	ck_assert_str_eq(out.forwarded, "2001:db8::7");
	ck_assert_int_eq(feed(lp, "not json", buf, sizeof(buf), &out), LOGLINE_BAD_FORMAT);
	logline_parser_free(lp);
}
END_TEST

/* One parser, many lines: the minute cache gives what a fresh parse gives, offsets and all. */
START_TEST(clf_time_cache)
{
	static const struct {
		const char	*time;
		int64_t		 want;	/* 0: bad_time */
	} seq[] = {
		{ "10/Oct/2000:13:55:36 -0700", 971211336 },
		{ "10/Oct/2000:13:55:37 -0700", 971211337 },
		{ "10/Oct/2000:13:55:00 -0700", 971211300 },
		{ "10/Oct/2000:13:55:60 -0700", 971211360 },
		{ "10/Oct/2000:13:55:61 -0700", 0 },
		{ "10/Oct/2000:13:55:6x -0700", 0 },
		{ "10/Oct/2000:13:55:59 -0700", 971211359 },
		{ "10/Oct/2000:13:55:36 +0200", 971178936 },	/* same clock, other offset */
		{ "10/Oct/2000:13:55:36 -0700", 971211336 },
		{ "10/Oct/2000:13:56:36 -0700", 971211396 },	/* next minute */
		{ "11/Oct/2000:13:56:36 -0700", 971297796 },
		{ "10/Oct/2001:13:56:36 -0700", 1002747396 },
	};
	struct logline_parser	*lp = logline_parser_new(LOGLINE_COMMON);
	struct logline		 out;
	enum logline_reason	 r;
	char			 line[128], buf[128];
	size_t			 i;

	for (i = 0; i < NELEM(seq); i++) {
		snprintf(line, sizeof(line), "192.0.2.7 - - [%s] \"GET / HTTP/1.0\" 200 5", seq[i].time);
		r = feed(lp, line, buf, sizeof(buf), &out);
		if (seq[i].want == 0)
			ck_assert_msg(r == LOGLINE_BAD_TIME, "%s: %s", seq[i].time,
			    logline_reason_name(r));
		else
			ck_assert_msg(r == LOGLINE_OK && out.time == seq[i].want,
			    "%s: %s %lld", seq[i].time, logline_reason_name(r),
			    (long long)out.time);
	}
	logline_parser_free(lp);
}
END_TEST

START_TEST(names)
{
	unsigned	 f, r;

	for (f = 0; f < LOGLINE_FORMAT__MAX; f++)
		ck_assert_int_eq(logline_format_from_name(logline_format_name(f)), f);
	ck_assert_str_eq(logline_format_name(LOGLINE_VHOST_COMBINED), "vhost_combined");
	ck_assert_str_eq(logline_format_name(LOGLINE_FORMAT__MAX), "unknown");
	ck_assert_int_eq(logline_format_from_name("auto"), LOGLINE_FORMAT__MAX);
	ck_assert_int_eq(logline_format_from_name("Combined"), LOGLINE_FORMAT__MAX);
	ck_assert_int_eq(logline_format_from_name(NULL), LOGLINE_FORMAT__MAX);
	for (r = 0; r < LOGLINE_REASON__MAX; r++)
		ck_assert_str_ne(logline_reason_name(r), "unknown");
	ck_assert_str_eq(logline_reason_name(LOGLINE_NOT_AN_ADDRESS), "not_an_address");
	ck_assert_str_eq(logline_reason_name(LOGLINE_BAD_TIME), "bad_time");
	ck_assert_str_eq(logline_reason_name(LOGLINE_REASON__MAX), "unknown");
	ck_assert_ptr_null(logline_parser_new(LOGLINE_FORMAT__MAX));
	logline_parser_free(NULL);
}
END_TEST

/* ---- detection ---- */

#define L_COMBINED	"192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/7.88.1\""
#define L_COMBINED6	"2001:db8::7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/7.88.1\""
#define L_HOSTNAME	"client-7.example.net - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\""
#define L_COMMON	"192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326"
#define L_COMMON6	"2001:db8::7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 304 -"
#define L_VHOST		"www.example.com:443 2001:db8::7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/2.0\" 200 10701 \"-\" \"curl/7.88.1\""
#define L_VHOST4	"localhost:80 192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\""
#define L_LIGHTTPD	"198.51.100.20 www.example.org - [09/Mar/2024:21:30:01 +0100] \"GET / HTTP/1.1\" 200 1812 \"-\" \"Wget/1.21.3\""
#define L_ALB		"h2 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 2001:db8::1:50718 203.0.113.1:80 0.000 0.002 0.000 200 200 5 257 \"GET https://203.0.113.10:443/ HTTP/2.0\" \"curl/7.46.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " ALB_ARN " \"Root=1-58337327-72bd00b0343d75b906739c42\" \"-\" \"-\" 1 2018-07-02T22:22:48.364000Z \"redirect\" \"https://example.com:80/\" \"-\" \"203.0.113.1:80\" \"200\" \"-\" \"-\""
#define L_CADDY		CADDY_HEAD "\"remote_ip\":\"192.0.2.7\",\"remote_port\":\"41342\",\"client_ip\":\"192.0.2.7\"" CADDY_TAIL
#define L_CF		CF_LINE("192.0.2.100", "d111111abcdef8.cloudfront.net", "-")

static const struct {
	int			 line;
	const char		*lines[6];
	enum logline_format	 want;
	enum logline_reason	 why;
} detects[] = {
	{ CASE_LINE, { L_COMBINED, L_COMBINED6, L_COMBINED }, LOGLINE_COMBINED, LOGLINE_OK },
	{ CASE_LINE, { L_LIGHTTPD, L_LIGHTTPD }, LOGLINE_COMBINED, LOGLINE_OK },
	/* HostnameLookups On: combined all the same; the lines are skipped later. */
	{ CASE_LINE, { L_HOSTNAME, L_HOSTNAME, L_COMBINED }, LOGLINE_COMBINED, LOGLINE_OK },
	{ CASE_LINE, { L_COMMON, L_COMMON6 }, LOGLINE_COMMON, LOGLINE_OK },
	/* Mostly common: a combined line among them parses as common too. */
	{ CASE_LINE, { L_COMMON, L_COMBINED, L_COMMON6 }, LOGLINE_COMMON, LOGLINE_OK },
	{ CASE_LINE, { L_VHOST, L_VHOST4 }, LOGLINE_VHOST_COMBINED, LOGLINE_OK },
	{ CASE_LINE, { L_ALB, L_ALB }, LOGLINE_ALB, LOGLINE_OK },
	{ CASE_LINE, { L_CADDY, L_CADDY }, LOGLINE_CADDY, LOGLINE_OK },
	{ CASE_LINE, { CF_VERSION, CF_FIELDS, L_CF, L_CF }, LOGLINE_CLOUDFRONT, LOGLINE_OK },
	{ CASE_LINE, { CF_VERSION, CF_FIELDS }, LOGLINE_CLOUDFRONT, LOGLINE_OK },
	/* Headerless CloudFront (the documented order). */
	{ CASE_LINE, { L_CF }, LOGLINE_CLOUDFRONT, LOGLINE_OK },
	/* Empty lines count for nobody; a junk line among good ones does not decide. */
	{ CASE_LINE, { "", L_COMBINED, "", "garbage" }, LOGLINE_COMBINED, LOGLINE_OK },
	{ CASE_LINE, { L_COMBINED, "junk", "more junk" }, LOGLINE_FORMAT__MAX, LOGLINE_BAD_FORMAT },
	{ CASE_LINE, { "hello", "world" }, LOGLINE_FORMAT__MAX, LOGLINE_BAD_FORMAT },
	{ CASE_LINE, { "\x16\x03\x01\x02", "\x7f\x45LF" }, LOGLINE_FORMAT__MAX, LOGLINE_BINARY },
	{ CASE_LINE, { "", "  " }, LOGLINE_FORMAT__MAX, LOGLINE_EMPTY },
	{ CASE_LINE, { NULL }, LOGLINE_FORMAT__MAX, LOGLINE_EMPTY },
};

START_TEST(detect)
{
	struct logline_sample	 s[6];
	enum logline_reason	 why = LOGLINE_REASON__MAX;
	enum logline_format	 got;
	size_t			 n;

	for (n = 0; n < NELEM(s) && detects[_i].lines[n] != NULL; n++) {
		s[n].text = detects[_i].lines[n];
		s[n].len = strlen(s[n].text);
	}
	got = logline_detect(s, n, &why);
	ck_assert_msg(got == detects[_i].want, "line %d: %s, want %s", detects[_i].line,
	    logline_format_name(got), logline_format_name(detects[_i].want));
	ck_assert_msg(why == detects[_i].why, "line %d: why %s, want %s", detects[_i].line,
	    logline_reason_name(why), logline_reason_name(detects[_i].why));
}
END_TEST

/* Detection reads lines it does not own (read-only memory here): it never writes. */
START_TEST(detect_writes_nothing)
{
	static const char	 a[] = L_VHOST, b[] = L_CF, c[] = L_ALB;
	struct logline_sample	 s[] = { { a, sizeof(a) - 1 }, { b, sizeof(b) - 1 },
				    { c, sizeof(c) - 1 }, { NULL, 0 } };

	ck_assert_int_eq(logline_detect(s, NELEM(s), NULL), LOGLINE_FORMAT__MAX);
	ck_assert_int_eq(logline_detect(s, 1, NULL), LOGLINE_VHOST_COMBINED);
	ck_assert_str_eq(a, L_VHOST);
	ck_assert_str_eq(b, L_CF);
}
END_TEST

/* ---- limits ---- */

/* A 60 KB user agent: the shape is followed to its end, the line taken. */
START_TEST(longest_line)
{
	static const char	 head[] = "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5 \"-\" \"";
	struct logline_parser	*lp = logline_parser_new(LOGLINE_COMBINED);
	struct logline		 out;
	size_t			 n = 60 * 1024, hl = sizeof(head) - 1;
	char			*buf = malloc(n + 1);

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, head, hl);
	memset(buf + hl, 'a', n - hl - 1);
	buf[n - 1] = '"';
	ck_assert_int_eq(logline_parse(lp, buf, n, &out), LOGLINE_OK);
	ck_assert_int_eq(out.time, T_APACHE);
	/* The same without its closing quote is cut. */
	buf[n - 1] = 'a';
	ck_assert_int_eq(logline_parse(lp, buf, n, &out), LOGLINE_CUT);
	free(buf);
	logline_parser_free(lp);
}
END_TEST

/* Only len bytes are the line: what follows in the buffer is not read as part of it. */
START_TEST(length_not_nul)
{
	static const char	 line[] = L_COMMON " \"-\" \"curl\"";
	struct logline_parser	*lp = logline_parser_new(LOGLINE_COMBINED);
	struct logline		 out;
	char			 buf[sizeof(line)];

	memcpy(buf, line, sizeof(line));
	ck_assert_int_eq(logline_parse(lp, buf, strlen(L_COMMON), &out), LOGLINE_CUT);
	memcpy(buf, line, sizeof(line));
	ck_assert_int_eq(logline_parse(lp, buf, sizeof(line) - 1, &out), LOGLINE_OK);
	ck_assert_int_eq(logline_parse(lp, buf, 0, &out), LOGLINE_EMPTY);
	logline_parser_free(lp);
}
END_TEST

/* NUL anywhere, in every format: binary, never a shorter line. */
START_TEST(nul_every_format)
{
	static const char	 line[] = L_COMBINED;
	struct logline_parser	*lp;
	struct logline		 out;
	char			 buf[sizeof(line)];
	unsigned		 f;
	size_t			 at;

	for (f = 0; f < LOGLINE_FORMAT__MAX; f++) {
		lp = logline_parser_new(f);
		for (at = 0; at < sizeof(line) - 1; at += 7) {
			memcpy(buf, line, sizeof(line));
			buf[at] = '\0';
			ck_assert_msg(logline_parse(lp, buf, sizeof(line) - 1, &out) ==
			    LOGLINE_BINARY, "%s: NUL at %zu", logline_format_name(f), at);
		}
		logline_parser_free(lp);
	}
}
END_TEST

/* Every prefix of a good line is cut or bad, never taken, in each format. */
START_TEST(every_prefix)
{
	static const char *const good[] = { L_COMBINED, L_VHOST, L_ALB, L_CADDY };
	static const enum logline_format fmt[] = {
		LOGLINE_COMBINED, LOGLINE_VHOST_COMBINED, LOGLINE_ALB, LOGLINE_CADDY
	};
	struct logline_parser	*lp;
	struct logline		 out;
	enum logline_reason	 r;
	char			 buf[2048];
	size_t			 i, n, full;

	for (i = 0; i < NELEM(good); i++) {
		lp = logline_parser_new(fmt[i]);
		full = strlen(good[i]);
		/* ALB lines are whole from field 14 on (later fields were added over the years). */
		for (n = 1; n < full; n++) {
			memcpy(buf, good[i], n);
			r = logline_parse(lp, buf, n, &out);
			if (fmt[i] == LOGLINE_ALB && r == LOGLINE_OK)
				continue;
			ck_assert_msg(r != LOGLINE_OK, "%s: prefix of %zu taken",
			    logline_format_name(fmt[i]), n);
		}
		memcpy(buf, good[i], full);
		ck_assert_int_eq(logline_parse(lp, buf, full, &out), LOGLINE_OK);
		logline_parser_free(lp);
	}
}
END_TEST

Suite *
logline_suite(void)
{
	Suite	*s = suite_create("logline");
	TCase	*tc;

	tc = tcase_create("formats");
	tcase_add_loop_test(tc, clf, 0, NELEM(clf_rows));
	tcase_add_loop_test(tc, alb, 0, NELEM(alb_rows));
	tcase_add_loop_test(tc, caddy, 0, NELEM(caddy_rows));
	tcase_add_test(tc, cloudfront_documented);
	tcase_add_test(tc, cloudfront_fields_order);
	tcase_add_test(tc, writes_only_terminators);
	tcase_add_test(tc, caddy_strings_held);
	tcase_add_test(tc, clf_time_cache);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	tc = tcase_create("detect");
	tcase_add_loop_test(tc, detect, 0, NELEM(detects));
	tcase_add_test(tc, detect_writes_nothing);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, longest_line);
	tcase_add_test(tc, length_not_nul);
	tcase_add_test(tc, nul_every_format);
	tcase_add_test(tc, every_prefix);
	suite_add_tcase(s, tc);
	return s;
}
