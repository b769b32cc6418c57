/* fcgi_scan.c: is a FastCGI request all here?  Read its records as they arrive, without taking them. */
#include <string.h>

#include "fcgi_scan.h"

/* FastCGI 1.0 §8: record types. */
#define T_BEGIN_REQUEST	1
#define T_ABORT_REQUEST	2
#define T_PARAMS	4
#define T_STDIN		5
#define T_DATA		8

#define HEADER_LEN	8

/*
 * §3.4: a name-value pair is a name length, a value length (each one byte
 * below 128, else four bytes with the high bit set), the name, the value.
 * Pairs may span records: this reads the params stream a piece at a time.
 */
enum pair_state { P_NAMELEN, P_VALUELEN, P_NAME, P_VALUE };

struct pair {
	enum pair_state	 state;
	unsigned char	 lenbuf[4];
	size_t		 lenhave;	/* bytes of a length read so far */
	uint32_t	 name_len, value_len;
	uint32_t	 got;		/* bytes of the name or value read */
	char		 name[FCGI_SCAN_NAME_MAX + 1];
	bool		 name_nul, value_nul;
};

static void
pair_done(struct fcgi_scan *s, struct pair *p)
{
	/*
	 * A name with a NUL can never be looked up (libfcgi compares names
	 * as C strings up to "="): only values matter.
	 */
	if (p->value_nul && !p->name_nul) {
		if (p->name_len > FCGI_SCAN_NAME_MAX || s->nul_n == FCGI_SCAN_NUL_MAX)
			s->nul_overflow = true;
		else {
			memcpy(s->nul[s->nul_n], p->name, p->name_len);
			s->nul[s->nul_n][p->name_len] = '\0';
			s->nul_n++;
		}
	}
	memset(p, 0, sizeof(*p));
}

/* Read one length of a pair; true when it is complete, in *out. */
static bool
pair_len(struct pair *p, const unsigned char **c, const unsigned char *end,
    uint32_t *out)
{
	size_t	 want;

	while (*c < end) {
		p->lenbuf[p->lenhave++] = *(*c)++;
		want = (p->lenbuf[0] & 0x80) ? 4 : 1;
		if (p->lenhave == want) {
			*out = want == 1 ? p->lenbuf[0] :
			    ((uint32_t)(p->lenbuf[0] & 0x7f) << 24) |
			    ((uint32_t)p->lenbuf[1] << 16) |
			    ((uint32_t)p->lenbuf[2] << 8) | p->lenbuf[3];
			p->lenhave = 0;
			return true;
		}
	}
	return false;
}

/* A name or value read to its end (at once when empty) moves the pair on. */
static void
pair_settle(struct fcgi_scan *s, struct pair *p)
{
	if (p->state == P_NAME && p->got == p->name_len) {
		p->state = P_VALUE;
		p->got = 0;
	}
	if (p->state == P_VALUE && p->got == p->value_len)
		pair_done(s, p);
}

/* Feed n bytes of params content; -1 when a length cannot be right. */
static int
pair_feed(struct fcgi_scan *s, struct pair *p, const unsigned char *c, size_t n)
{
	const unsigned char	*end = c + n;
	uint32_t		 want;
	size_t			 take, keep;

	while (c < end) {
		switch (p->state) {
		case P_NAMELEN:
			if (pair_len(p, &c, end, &p->name_len))
				p->state = P_VALUELEN;
			continue;
		case P_VALUELEN:
			if (!pair_len(p, &c, end, &p->value_len))
				continue;
			/* A pair can be no longer than all params may be. */
			if (p->name_len > FCGI_SCAN_PARAMS_MAX ||
			    p->value_len > FCGI_SCAN_PARAMS_MAX - p->name_len)
				return -1;
			p->state = P_NAME;
			p->got = 0;
			break;
		case P_NAME:
		case P_VALUE:
			want = p->state == P_NAME ? p->name_len : p->value_len;
			take = (size_t)(end - c);
			if (take > want - p->got)
				take = want - p->got;
			if (memchr(c, '\0', take) != NULL) {
				if (p->state == P_NAME)
					p->name_nul = true;
				else
					p->value_nul = true;
			}
			if (p->state == P_NAME && p->got < FCGI_SCAN_NAME_MAX) {
				keep = FCGI_SCAN_NAME_MAX - p->got;
				memcpy(p->name + p->got, c, take < keep ? take : keep);
			}
			p->got += (uint32_t)take;
			c += take;
			break;
		}
		pair_settle(s, p);
	}
	return 0;
}

static enum fcgi_scan_result
bad(struct fcgi_scan *s, const char *why)
{
	s->why = why;
	return FCGI_SCAN_BAD;
}

static enum fcgi_scan_result
too_large(struct fcgi_scan *s)
{
	s->too_large = true;
	return bad(s, "params over " FCGI_SCAN_PARAMS_MAX_TEXT);
}

enum fcgi_scan_result
fcgi_scan(struct fcgi_scan *s, const unsigned char *buf, size_t len)
{
	struct pair		 p;
	const unsigned char	*h, *c;
	size_t			 pos = 0, clen, plen;
	unsigned		 id, reqid = 0;
	int			 type;

	memset(s, 0, sizeof(*s));
	memset(&p, 0, sizeof(p));
	while (pos + HEADER_LEN <= len && !s->stdin_done) {
		h = buf + pos;
		type = h[1];
		id = (unsigned)h[2] << 8 | h[3];
		clen = (size_t)h[4] << 8 | h[5];
		plen = h[6];
		/* §3.3: version 1 is the only one. */
		if (h[0] != 1)
			return bad(s, "not FastCGI version 1");
		/*
		 * A record is read whole, padding too: libfcgi's reads may end
		 * anywhere.  One of params that could not fit is refused now:
		 * its sender may be waiting for room that will never come.
		 */
		if (pos + HEADER_LEN + clen + plen > len) {
			if (type == T_PARAMS && s->role != 0 && id == reqid &&
			    s->params_len + clen > FCGI_SCAN_PARAMS_MAX)
				return too_large(s);
			break;
		}
		c = h + HEADER_LEN;
		pos += HEADER_LEN + clen + plen;
		if (type == T_BEGIN_REQUEST) {
			if (id == 0 || clen != 8)
				return bad(s, "a malformed begin record");
			/* A second one: libfcgi refuses to multiplex and goes on. */
			if (s->role != 0)
				continue;
			s->role = c[0] << 8 | c[1];
			if (s->role < FCGI_SCAN_RESPONDER || s->role > FCGI_SCAN_FILTER)
				return bad(s, "an unknown role");
			s->keep_conn = (c[2] & 1) != 0;
			s->request_id = reqid = id;
			continue;
		}
		/* Management records are libfcgi's to answer. */
		if (id == 0)
			continue;
		if (s->role == 0)
			return bad(s, "a record before the begin record");
		if (id != reqid)
			continue;
		switch (type) {
		case T_PARAMS:
			if (s->params_done)
				return bad(s, "params after their end");
			if (clen == 0) {
				if (p.state != P_NAMELEN || p.lenhave != 0)
					return bad(s, "a param cut short");
				s->params_done = true;
				break;
			}
			if ((s->params_len += clen) > FCGI_SCAN_PARAMS_MAX ||
			    pair_feed(s, &p, c, clen) != 0)
				return too_large(s);
			break;
		case T_STDIN:
			if (!s->params_done)
				return bad(s, "stdin before the params' end");
			if (clen == 0)
				s->stdin_done = true;
			s->stdin_len += clen;
			break;
		case T_DATA:
			/* A Filter's second stream, after stdin: not ours to wait for. */
			break;
		case T_ABORT_REQUEST:
		default:
			/* libfcgi reads params and stdin only: anything else breaks it. */
			return bad(s, "an unexpected record");
		}
	}
	return s->params_done ? FCGI_SCAN_READY : FCGI_SCAN_MORE;
}

bool
fcgi_scan_nul(const struct fcgi_scan *s, const char *name)
{
	size_t	 i;

	if (s->nul_overflow)
		return true;
	for (i = 0; i < s->nul_n; i++)
		if (strcmp(s->nul[i], name) == 0)
			return true;
	return false;
}
