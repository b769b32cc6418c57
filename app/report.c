/* report.c: what a usage report holds, independent of its format: table names, the share, the cleanup. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *const table_names[TABLE__MAX] = {
	"series",	/* TABLE_SERIES */
	"kinds",	/* TABLE_KINDS */
	"prefixes",	/* TABLE_PREFIXES */
	"unique",	/* TABLE_UNIQUE */
	"hosts",	/* TABLE_HOSTS */
	"listeners",	/* TABLE_LISTENERS */
	"hows",		/* TABLE_HOWS */
	"summary",	/* TABLE_SUMMARY */
	"readiness",	/* TABLE_READINESS */
	"readiness_arrival",	/* TABLE_READINESS_ARRIVAL */
	"readiness_back",	/* TABLE_READINESS_BACK */
	"readiness_lost",	/* TABLE_READINESS_LOST */
	"readiness_series",	/* TABLE_READINESS_SERIES */
	"nodes",	/* TABLE_NODES */
};

const char *
report_table_name(enum report_table t)
{
	return (int)t >= 0 && t < TABLE__MAX ? table_names[t] : "";
}

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
	free(rep->nodes);
	free(rep->listeners);
	free(rep->hows);
	free(rep->series);
	free(rep->readiness.arrivals);
	free(rep->readiness.backs);
	free(rep->readiness.lost);
	free(rep->readiness.series);
	memset(rep, 0, sizeof(*rep));
}
