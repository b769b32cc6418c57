/* report.c: what a usage report holds, independent of its format: the share and the cleanup. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

double
report_share(uint64_t ipv4, uint64_t ipv6)
{

	if (ipv4 == 0 && ipv6 == 0)
		return 0.0;
	/* As doubles: ipv4 + ipv6 cannot wrap there. */
	return (double)ipv6 / ((double)ipv4 + (double)ipv6);
}

void
report_free(struct report *rep)
{

	if (rep == NULL)
		return;
	free(rep->kinds);
	free(rep->prefixes);
	free(rep->hosts);
	free(rep->listeners);
	free(rep->hows);
	free(rep->series);
	memset(rep, 0, sizeof(*rep));
}
