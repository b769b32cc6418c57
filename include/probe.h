/* probe.h: readiness probes' tokens and URLs: where a probe image is sent, and how its token comes back. */
#ifndef DUALSTAT_PROBE_H
#define DUALSTAT_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * A probe is an image on the main site that redirects, with a fresh
 * token, to a host name that exists only over IPv6 (v6), only over IPv4
 * (v4), or to this same site (self: the control, which shows how many
 * clients follow an image redirect at all).  The probe host answers the
 * image and counts the token as reached.  Nothing but the token links the
 * two requests: no cookie, nothing derived from the address.
 */
enum probe_kind {
	PROBE_V6,		/* "v6" */
	PROBE_V4,		/* "v4" */
	PROBE_SELF,		/* "self" */
	PROBE__MAX
};

const char	*probe_kind_name(enum probe_kind);
enum probe_kind	 probe_kind_from_name(const char *);	/* PROBE__MAX if none */

/* 128 random bits from the kernel, as 32 lower-case hex digits. */
#define PROBE_TOKEN_LEN	32

/*
 * A fresh token in out (PROBE_TOKEN_LEN + 1 bytes).  -1 when the kernel
 * gives no randomness (getrandom failed): then there is no probe, rather
 * than a guessable one.
 */
int	 probe_token_mint(char *out);
/* Whether the len bytes at s are a token's form (not whether one was minted). */
bool	 probe_token_form(const char *s, size_t len);

/*
 * A probe URL: "http[s]://HOST[:PORT][/PATH]", where dualstat is mounted
 * on a host name with only an AAAA (or only an A) record.  It may carry
 * "{token}" once, in its first host label ("https://{token}.v6.example.org/d"),
 * for sites that give each probe a name of its own (wildcard DNS and
 * certificate) so that no resolver cache can answer; the label may hold
 * more than the token ("p-{token}.v6...").  NULL when url is one;
 * otherwise why not, in words.
 */
const char	*probe_url_check(const char *url);

/*
 * The origin a Content-Security-Policy img-src must allow for url
 * ("https://v6.example.org:8443"; with {token}, a wildcard for any first
 * label, "*.v6.example.org" after the scheme),
 * since a redirect's target is checked against img-src.  -1 when url is
 * not a probe URL or out is too small.
 */
int	 probe_url_origin(const char *url, char *out, size_t outsz);
/* Whether url is https (an https site needs https probes: mixed content). */
bool	 probe_url_https(const char *url);

/*
 * Where the probe of url goes with token: the URL with {token} filled in,
 * then "/probe/" file (file: "done.gif"), then "?t=TOKEN" unless the host
 * carries the token already.  Appended to out.
 */
void	 probe_url_target(struct buf *out, const char *url, const char *token,
	    const char *file);

/*
 * The token a completion brings: from the first label of its Host
 * (host_key, lower case, no port) when url carries {token} there, else
 * from the query's "t=".  0 and the token in out (PROBE_TOKEN_LEN + 1
 * bytes) when it has a token's form; -1 otherwise.
 */
int	 probe_token_of(const char *url, const char *host_key, const char *query,
	    char *out);

#endif
