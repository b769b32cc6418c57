/* probe.h: readiness probes' tokens and URLs: where a probe image is sent, and how its token comes back (pure). */
#ifndef DUALSTAT_PROBE_H
#define DUALSTAT_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
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

/*
 * A token is a secret of 128 random bits from the kernel, as 32
 * lower-case hex digits, followed by the number the store gave its start
 * (store.h), in lower-case hex without leading zeros: 33 to 48 digits.
 * The number finds the start; the secret proves the token was minted
 * here.  Why the number is in it: the store looks a start up by it, so
 * the secret is in no index (whose inner pages would keep copies of it
 * after the start is deleted) and goes with its row.
 */
#define PROBE_SECRET_LEN	32
#define PROBE_TOKEN_MAX		(PROBE_SECRET_LEN + 16)

/*
 * A fresh secret in out (PROBE_SECRET_LEN + 1 bytes).  -1 when the kernel
 * gives no randomness (getrandom failed): then there is no probe, rather
 * than a guessable one.
 */
int	 probe_secret_mint(char *out);
/* The token of secret and id (> 0) in out (PROBE_TOKEN_MAX + 1 bytes). */
void	 probe_token_make(char *out, const char *secret, int64_t id);
/*
 * The secret (PROBE_SECRET_LEN + 1 bytes) and id of the len bytes at s:
 * 0 when they have a token's form (not whether it was minted), else -1.
 */
int	 probe_token_parse(const char *s, size_t len, char *secret, int64_t *id);
bool	 probe_token_form(const char *s, size_t len);

/*
 * A probe URL: "http[s]://HOST[:PORT][/PATH]", where dualstat is mounted
 * on a host name with only an AAAA (or only an A) record.  It may carry
 * "{token}" once, in its first host label ("https://{token}.v6.example.org/d"),
 * for sites that give each probe a name of its own (wildcard DNS and
 * certificate) so that no resolver cache can answer; the label may hold
 * up to 15 bytes besides the token ("p-{token}.v6..."), so that it fits
 * the 63 of a DNS label.  NULL when url is one; otherwise why not, in
 * words.
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
 * from the query's "t=".  0 and the token in out (PROBE_TOKEN_MAX + 1
 * bytes) when it has a token's form; -1 otherwise.
 */
int	 probe_token_of(const char *url, const char *host_key, const char *query,
	    char *out);

/*
 * Which probe a completion is, by the host it came to: the v6 probe when
 * host_key is v6_url's host (or its {token} pattern), the v4 probe the
 * same, the control (self) on any other host, the site's own.  v6_url
 * and v4_url may be NULL (not configured).  0, the kind and the token in
 * out (as probe_token_of) when a token came with it; -1 otherwise.  A
 * token is only good for the probe of the host it came to (store.h).
 */
int	 probe_completion(const char *v6_url, const char *v4_url,
	    const char *host_key, const char *query, char *out,
	    enum probe_kind *kind);

/*
 * What a probe that came back says: reached (the family fits the probe:
 * the v6 host over IPv6, the v4 host over IPv4, the control over either),
 * or not, over the wrong family: the probe host's name has a record of
 * the other family, a misconfiguration (/status says so).
 */
bool	 probe_family_fits(enum probe_kind, int family);

/*
 * Whether this start is probed, for a share of sample_ppm parts per
 * million (probe_sample) and a uniformly random r: every one at 1000000,
 * none at 0.
 */
bool	 probe_sampled(unsigned sample_ppm, uint32_t r);

/*
 * What a probe's start keeps: what a recorded request keeps (row.h),
 * without the listener and the proxy flag, and the probe and its secret
 * until it resolves.  prefix is the truncated network, never the address.
 */
struct probe_start {
	int64_t		 time;		/* seconds since the epoch, UTC */
	int64_t		 expires;	/* time + probe_timeout: after it, not reached */
	enum probe_kind	 probe;
	int		 family;	/* how the visit came: 4 or 6 */
	enum addr_kind	 kind;
	bool		 mapped;
	char		 prefix[ADDR_PREFIX_MAX];
	const char	*host;		/* the visit's host key (row.h's rule), or NULL */
	const char	*node;		/* the server that started it (row.h), or NULL */
	char		 secret[PROBE_SECRET_LEN + 1];
};

/* NULL when start may be written; otherwise why not, in a few words. */
const char	*probe_start_invalid(const struct probe_start *);

/*
 * A start as the store gives it back to be counted: come back (back_family
 * 4 or 6, and the kind of address it came back from: never the prefix)
 * or not (0: it expired).  Its secret is "".
 */
struct probe_row {
	struct probe_start	 start;
	int			 back_family;
	enum addr_kind		 back_kind;
};

#endif
