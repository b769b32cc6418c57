/* row.c: the ways of measuring by name, and what makes a row fit to be written. */
#include <string.h>

#include "row.h"
#include "utf8.h"

static const char *const how_names[HOW__MAX] = {
	"page",		/* HOW_PAGE */
	"beacon",	/* HOW_BEACON */
	"authorizer",	/* HOW_AUTHORIZER */
	"record",	/* HOW_RECORD */
	"log",		/* HOW_LOG */
};

const char *
how_name(enum how how)
{

	if ((int)how < 0 || how >= HOW__MAX)
		return "unknown";
	return how_names[how];
}

enum how
how_from_name(const char *name)
{
	int	 i;

	if (name == NULL)
		return HOW__MAX;
	for (i = 0; i < HOW__MAX; i++)
		if (strcmp(name, how_names[i]) == 0)
			return (enum how)i;
	return HOW__MAX;
}

const char *
row_invalid(const struct row *row)
{

	if (row->family != 4 && row->family != 6)
		return "family is not 4 or 6";
	if ((int)row->kind < 0 || row->kind >= KIND__MAX)
		return "unknown kind";
	if ((int)row->how < 0 || row->how >= HOW__MAX)
		return "unknown measurement";
	if (row->server_family != 0 && row->server_family != 4 &&
	    row->server_family != 6)
		return "server family is not 0, 4 or 6";
	/* Only a network ("net/bits") reaches the disk, never an address. */
	if (memchr(row->prefix, '\0', sizeof(row->prefix)) == NULL ||
	    strchr(row->prefix, '/') == NULL)
		return "prefix is not a network";
	/* A node goes into URLs, CSV and logs as it is: only its bytes. */
	if (row->node != NULL && row->node[0] != '\0' &&
	    !row_node_valid(row->node))
		return "node is not a valid name";
	return NULL;
}

size_t
row_host_len(const char *host)
{
	size_t	 n;

	n = strnlen(host, ROW_HOST_MAX + 1);
	if (n <= ROW_HOST_MAX)
		return n;
	return utf8_cut(host, ROW_HOST_MAX);
}

bool
row_node_valid(const char *name)
{
	size_t	 n;

	for (n = 0; name[n] != '\0'; n++) {
		if (n == ROW_NODE_MAX)
			return false;
		if ((name[n] < 'a' || name[n] > 'z') &&
		    (name[n] < 'A' || name[n] > 'Z') &&
		    (name[n] < '0' || name[n] > '9') &&
		    name[n] != '.' && name[n] != '-' && name[n] != '_')
			return false;
	}
	return n > 0;
}
