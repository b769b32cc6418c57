/* setup_check.h: what is wrong with a setup, in plain words, for `dualstat check-config` and /check. */
#ifndef DUALSTAT_SETUP_CHECK_H
#define DUALSTAT_SETUP_CHECK_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"

/* What is looked at, in the order it is shown. */
enum setup_topic {
	SETUP_PROGRAM,		/* this dualstat: version, static or not, who runs it */
	SETUP_CONFIG,		/* the configuration file: read, or file:line of its error */
	SETUP_FOLDER,		/* the database's folder: there (or can be made), writable */
	SETUP_DATABASE,		/* the file and its -wal, -shm, -counters: writable; schema not newer */
	SETUP_EXPOSED,		/* the database or configuration inside the document root */
	SETUP_STYLESHEET,	/* where static_url sends browsers for dualstat.css */
	SETUP__MAX
};

/* How it went, from fine to broken; a report counts warnings and problems. */
enum setup_level {
	SETUP_OK,		/* checked, fine */
	SETUP_NOTE,		/* nothing to do, but worth knowing (no database yet) */
	SETUP_UNCHECKED,	/* cannot be checked from here: the text says why and how */
	SETUP_WARNING,		/* probably wrong (a stylesheet not where static_url points) */
	SETUP_PROBLEM,		/* dualstat cannot work like this */
	SETUP_LEVEL__MAX
};

/*
 * What the checks know about where they run.  Only what a web server or the
 * command line says: the checks never fetch URLs or look up user names (a
 * static dualstat must not: README, "One static binary").
 */
struct setup_env {
	const char		*conf_path;	/* the file read (or tried); NULL: none named, none found */
	bool			 conf_ok;
	const char		*conf_err;	/* "file:line: what" when !conf_ok */
	const struct config	*cfg;		/* used when conf_ok */
	const char		*document_root;	/* DOCUMENT_ROOT, --document-root; NULL or "": unknown */
	const char		*script_name;	/* SCRIPT_NAME; NULL from the command line */
	bool			 https;		/* the page was asked for over https */
	bool			 web;		/* run by the web server (CGI, FastCGI), not a shell */
	bool			 is_static;	/* setup_is_static() */
	uid_t			 uid;		/* whom files are checked as */
	gid_t			 gid;
};

#define SETUP_TEXT_MAX	1536

struct setup_finding {
	enum setup_level	 level;
	char			 text[SETUP_TEXT_MAX];	/* sentences; paths and values are data */
};

struct setup_report {
	struct setup_finding	 f[SETUP__MAX];
	unsigned		 problems, warnings;
};

/*
 * Run every check.  Nothing is changed: a folder is tested by creating a
 * file (or folder) of our own in it and removing it again, the database
 * is opened read-only.  Never fails; every topic gets a finding.
 */
void	 setup_check(const struct setup_env *, struct setup_report *);

/* One topic, for the suites: fills r->f[t] and not the counts. */
void	 setup_check_one(const struct setup_env *, enum setup_topic t,
	    struct setup_report *r);

/* "program", "configuration", ...: headings; "" out of range. */
const char	*setup_topic_name(enum setup_topic);
/* "ok", "note", "not checked", "warning", "problem"; "" out of range. */
const char	*setup_level_name(enum setup_level);

/*
 * Whether path (absolute) is root itself or below it, by its components:
 * "/srv/www/db" is below "/srv/www", "/srv/www2" is not.  Symbolic links
 * are the caller's business (setup_check resolves what exists).  Pure.
 */
bool	 setup_path_below(const char *path, const char *root);

/*
 * The file config_load(named) reads: named, else $DUALSTAT_CONF when it is
 * not empty, else config_default_path().  For the words only: the load
 * itself stays config_load's.
 */
const char	*setup_conf_path(const char *named);

/*
 * Whether this program has no program interpreter (PT_INTERP): linked
 * statically, so it must not call into glibc's NSS (getpwnam & co.), which
 * would load the system's shared NSS modules into it.
 */
bool	 setup_is_static(void);

#endif
