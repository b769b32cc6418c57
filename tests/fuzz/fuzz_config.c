/* fuzz_config.c: libFuzzer target for dualstat.conf: config_parse over the defaults, twice. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX], small[9], *text;
	int		 rc;

	/* Exactly size bytes, no NUL after them: config_parse takes a length. */
	text = malloc(size == 0 ? 1 : size);
	if (text == NULL)
		abort();
	memcpy(text, data, size);

	if (config_defaults(&cfg) != 0)
		abort();
	memset(err, 'x', sizeof(err));
	rc = config_parse(&cfg, "fuzz.conf", text, size, err, sizeof(err));
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && (memchr(err, '\0', sizeof(err)) == NULL ||
	    strncmp(err, "fuzz.conf", 9) != 0))
		abort();
	if (rc == 0) {
		/* What parsed is in range, whatever the text said. */
		if (cfg.ipv4_prefix > 32 || cfg.ipv6_prefix > 128 ||
		    cfg.busy_timeout_ms > 60000 || cfg.retention_days > 36500 ||
		    cfg.proxy_header >= PROXY__MAX || cfg.database == NULL ||
		    cfg.site_name == NULL || cfg.static_url == NULL)
			abort();
		if (strlen(cfg.site_name) > 200)
			abort();
	}
	config_free(&cfg);

	/* Again with an error buffer too short for any message: cut, not overrun. */
	if (config_defaults(&cfg) != 0)
		abort();
	if (config_parse(&cfg, "fuzz.conf", text, size, small, sizeof(small)) != rc ||
	    (rc == -1 && memchr(small, '\0', sizeof(small)) == NULL))
		abort();
	config_free(&cfg);

	free(text);
	return 0;
}
