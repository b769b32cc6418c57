/* setup_check.c: what is wrong with a setup, in plain words: the checks behind check-config and /check. */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "setup_check.h"
#include "store.h"

static const char *const topic_names[SETUP__MAX] = {
	[SETUP_PROGRAM] = "program",
	[SETUP_CONFIG] = "configuration",
	[SETUP_FOLDER] = "database folder",
	[SETUP_DATABASE] = "database",
	[SETUP_EXPOSED] = "document root",
	[SETUP_STYLESHEET] = "stylesheet",
};

static const char *const level_names[SETUP_LEVEL__MAX] = {
	[SETUP_OK] = "ok",
	[SETUP_NOTE] = "note",
	[SETUP_UNCHECKED] = "not checked",
	[SETUP_WARNING] = "warning",
	[SETUP_PROBLEM] = "problem",
};

const char *
setup_topic_name(enum setup_topic t)
{
	return (unsigned)t < SETUP__MAX ? topic_names[t] : "";
}

const char *
setup_level_name(enum setup_level l)
{
	return (unsigned)l < SETUP_LEVEL__MAX ? level_names[l] : "";
}

static void	 say(struct setup_finding *, enum setup_level, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	 more(struct setup_finding *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
vappend(struct setup_finding *f, const char *fmt, va_list ap)
{
	size_t	 len = strlen(f->text);
	int	 n;

	n = vsnprintf(f->text + len, sizeof(f->text) - len, fmt, ap);
	/* Cut: the words stay readable, and say so. */
	if (n < 0)
		f->text[len] = '\0';
	else if ((size_t)n >= sizeof(f->text) - len)
		memcpy(f->text + sizeof(f->text) - 4, "...", 4);
}

/* A finding: its level and its first sentences. */
static void
say(struct setup_finding *f, enum setup_level level, const char *fmt, ...)
{
	va_list	 ap;

	f->level = level;
	f->text[0] = '\0';
	va_start(ap, fmt);
	vappend(f, fmt, ap);
	va_end(ap);
}

/* More sentences for the same finding. */
static void
more(struct setup_finding *f, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vappend(f, fmt, ap);
	va_end(ap);
}

bool
setup_path_below(const char *path, const char *root)
{
	size_t	 n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 0 || path[0] != '/' || root[0] != '/')
		return false;
	if (n == 1)
		return true;
	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

const char *
setup_conf_path(const char *named)
{
	const char	*env = getenv("DUALSTAT_CONF");

	if (named != NULL)
		return named;
	return env != NULL && env[0] != '\0' ? env : config_default_path();
}

bool
setup_is_static(void)
{
	const ElfW(Phdr)	*ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
	unsigned long		 n = getauxval(AT_PHNUM), i;

	if (ph == NULL)
		return false;
	for (i = 0; i < n; i++)
		if (ph[i].p_type == PT_INTERP)
			return false;
	return true;
}

/* The folder part of path ("/a/b" of "/a/b/c.db"; "/" of "/c.db"; "." of "c.db"). */
static void
folder_of(const char *path, char *out, size_t outsz)
{
	const char	*slash = strrchr(path, '/');
	size_t		 n;

	if (slash == NULL) {
		snprintf(out, outsz, ".");
		return;
	}
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= outsz)
		n = outsz - 1;
	memmove(out, path, n);	/* out may be path */
	out[n] = '\0';
}

/*
 * Whether this process can create in folder: by doing it, a file (or a
 * folder) of its own, removed at once.  access(2) would answer for the
 * real user and not see ACLs, read-only mounts or quotas the way a create
 * does.  0, or the errno of the create.
 */
static int
can_create_in(const char *folder, bool as_folder)
{
	char	 p[PATH_MAX];
	int	 fd;

	if ((size_t)snprintf(p, sizeof(p), "%s/.dualstat-check-XXXXXX", folder) >= sizeof(p))
		return ENAMETOOLONG;
	if (as_folder) {
		if (mkdtemp(p) == NULL)
			return errno;
		(void)rmdir(p);
		return 0;
	}
	if ((fd = mkstemp(p)) == -1)
		return errno;
	close(fd);
	(void)unlink(p);
	return 0;
}

/* Whether this process can open path for writing (nothing is written). 0 or errno. */
static int
can_write(const char *path)
{
	int	 fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);

	if (fd == -1)
		return errno;
	close(fd);
	return 0;
}

/*
 * path with symbolic links resolved as far as it exists, so that a link
 * into the document root is seen there.  Not existing at all: as given.
 */
static void
resolved(const char *path, char *out, size_t outsz)
{
	char	 dir[PATH_MAX], real[PATH_MAX];
	const char *base = strrchr(path, '/');

	if (realpath(path, real) != NULL) {
		snprintf(out, outsz, "%s", real);
		return;
	}
	folder_of(path, dir, sizeof(dir));
	if (base != NULL && realpath(dir, real) != NULL &&
	    (size_t)snprintf(out, outsz, "%s%s", strcmp(real, "/") == 0 ? "" : real, base) < outsz)
		return;
	snprintf(out, outsz, "%s", path);
}

/* "uid 33": names would need NSS, which a static program must not call. */
#define WHO	"uid %u"
#define WHO_ARGS(e)	(unsigned)(e)->uid

static void
check_program(const struct setup_env *e, struct setup_finding *f)
{
	say(f, SETUP_OK, "dualstat %s, %s, running as uid %u, gid %u", PACKAGE_VERSION,
	    e->is_static ? "linked statically (no shared libraries)" : "linked dynamically",
	    (unsigned)e->uid, (unsigned)e->gid);
	if (e->web)
		more(f, ", as the web server runs it.");
	else
		more(f, " (the command line: the web server may run dualstat as another "
		    "user; the page /check, asked through the web server, checks as that one).");
	if (e->is_static)
		more(f, " A static dualstat looks up no user names: serve --user and "
		    "--socket-owner are refused.");
}

static void
check_config(const struct setup_env *e, struct setup_finding *f)
{
	int	 err;

	if (!e->conf_ok) {
		say(f, SETUP_PROBLEM, "The configuration cannot be used: %s.",
		    e->conf_err != NULL ? e->conf_err : "unknown error");
		err = e->conf_path != NULL && access(e->conf_path, R_OK) == -1 ? errno : 0;
		if (err == EACCES)
			more(f, " dualstat runs as " WHO ", which must be able to read the file "
			    "(mode 0644, or 0640 with that user's group).", WHO_ARGS(e));
		else if (err == ENOENT)
			more(f, " Is its name (DUALSTAT_CONF, SetEnv in .htaccess, or -c) "
			    "the whole path of the file?");
		more(f, " Until it is fixed every page but this one answers 500.");
		return;
	}
	if (e->cfg->source == NULL) {
		say(f, SETUP_NOTE, "There is no configuration file at %s: dualstat runs on its "
		    "built-in defaults.", e->conf_path != NULL ? e->conf_path : "the default place");
		return;
	}
	say(f, SETUP_OK, "%s was read without errors.", e->cfg->source);
}

static void
check_folder(const struct setup_env *e, struct setup_finding *f)
{
	char		 dir[PATH_MAX], up[PATH_MAX];
	struct stat	 st;
	int		 err;

	if (store_is_uri(e->cfg->database)) {
		store_db_display(e->cfg->database, dir, sizeof(dir));
		say(f, SETUP_OK, "The database is PostgreSQL (%s): no folder here.", dir);
		return;
	}
	folder_of(e->cfg->database, dir, sizeof(dir));
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			say(f, SETUP_PROBLEM, "%s, where the database is to be, is not a folder.", dir);
			return;
		}
		if ((err = can_create_in(dir, false)) == 0) {
			say(f, SETUP_OK, "%s exists, and " WHO " can create files in it "
			    "(tried: a file made and removed).", dir, WHO_ARGS(e));
			return;
		}
		say(f, SETUP_PROBLEM, WHO " cannot create files in %s (%s). dualstat keeps "
		    "the database, its -wal and -shm files and the counters there, so "
		    "nothing is recorded. The folder is uid %u's, mode %04o: make it "
		    "writable by " WHO " (on shared hosting, a folder in your home where "
		    "the host runs CGI programs as you; elsewhere, chown it to the web "
		    "server's user, mode 0700).", WHO_ARGS(e), dir, strerror(err),
		    (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), WHO_ARGS(e));
		return;
	}
	if (errno != ENOENT) {
		say(f, SETUP_PROBLEM, WHO " cannot reach %s, the database's folder: %s.",
		    WHO_ARGS(e), dir, strerror(errno));
		return;
	}
	/* dualstat makes every missing folder (store.c, 0700): the nearest one there must take it. */
	snprintf(up, sizeof(up), "%s", dir);
	do
		folder_of(up, up, sizeof(up));
	while (strcmp(up, "/") != 0 && strcmp(up, ".") != 0 && stat(up, &st) == -1 &&
	    errno == ENOENT);
	if (stat(up, &st) == -1)
		err = errno;
	else if (!S_ISDIR(st.st_mode))
		err = ENOTDIR;
	else if ((err = can_create_in(up, true)) == 0) {
		say(f, SETUP_NOTE, "%s does not exist yet: dualstat makes it (mode 0700) at "
		    "the first visit, as " WHO " can create folders in %s.", dir,
		    WHO_ARGS(e), up);
		return;
	}
	say(f, SETUP_PROBLEM, "%s does not exist, and " WHO " cannot make it: "
	    "nothing can be created in %s (%s). Make the folder, writable by " WHO ".",
	    dir, WHO_ARGS(e), up, strerror(err), WHO_ARGS(e));
}

static void
check_database(const struct setup_env *e, struct setup_finding *f)
{
	static const char *const side[] = { "-wal", "-shm", "-counters" };
	const char		*db = e->cfg->database;
	char			 p[PATH_MAX], err[512];
	struct store		*store;
	struct store_info	 info;
	struct stat		 st;
	enum store_err		 se;
	size_t			 i;
	int			 e2;

	/* A server's database: whether it answers, read only, as a report would. */
	if (store_is_uri(db)) {
		store_db_display(db, p, sizeof(p));
		if (store_open(&store, db, STORE_READONLY_OPEN, e->cfg->busy_timeout_ms,
		    err, sizeof(err)) != STORE_OK) {
			say(f, SETUP_PROBLEM, "%s", err);
			return;
		}
		store_close(store);
		say(f, SETUP_OK, "The PostgreSQL database %s answers, schema %d.", p,
		    STORE_SCHEMA_VERSION);
		return;
	}
	if (stat(db, &st) == -1) {
		if (errno == ENOENT)
			say(f, SETUP_NOTE, "%s does not exist yet: the first visit creates it.", db);
		else
			say(f, SETUP_PROBLEM, WHO " cannot reach %s: %s.", WHO_ARGS(e), db,
			    strerror(errno));
		return;
	}
	if ((e2 = can_write(db)) != 0) {
		say(f, SETUP_PROBLEM, WHO " cannot write %s (%s): pages are answered, but "
		    "no visit is recorded. The file is uid %u's, mode %04o.", WHO_ARGS(e),
		    db, strerror(e2), (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		return;
	}
	/* What another user left beside it (sqlite3 run as root): SQLite must write those too. */
	for (i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		if ((size_t)snprintf(p, sizeof(p), "%s%s", db, side[i]) >= sizeof(p) ||
		    lstat(p, &st) == -1 || (e2 = can_write(p)) == 0)
			continue;
		say(f, SETUP_PROBLEM, WHO " cannot write %s (%s), which belongs to uid %u "
		    "(mode %04o), perhaps left by a command run as another user: remove it "
		    "while nothing uses the database, or give it to " WHO ".", WHO_ARGS(e),
		    p, strerror(e2), (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777),
		    WHO_ARGS(e));
		return;
	}
	/* Read-only: a look never migrates, and never writes a file another user then owns. */
	se = store_open(&store, db, STORE_READONLY_OPEN, 100, err, sizeof(err));
	if (se == STORE_TOONEW) {
		say(f, SETUP_PROBLEM, "%s. A newer dualstat wrote it; this one (%s, schema %d) "
		    "records nothing there and never changes it: put the newer program "
		    "back.", err, PACKAGE_VERSION, STORE_SCHEMA_VERSION);
		return;
	}
	if (se != STORE_OK) {
		say(f, se == STORE_ERROR && strstr(err, "older") != NULL ? SETUP_NOTE :
		    SETUP_PROBLEM, "%s.", err);
		return;
	}
	if (store_info(store, &info) == STORE_OK)
		say(f, SETUP_OK, "%s: schema %d, %" PRId64 " raw rows, writable by "
		    WHO ".", db, info.schema_version, info.rows, WHO_ARGS(e));
	else
		say(f, SETUP_PROBLEM, "%s cannot be read: %s.", db, store_errmsg(store));
	store_close(store);
}

static void
check_exposed(const struct setup_env *e, struct setup_finding *f)
{
	char	 root[PATH_MAX], db[PATH_MAX], conf[PATH_MAX];
	bool	 db_in, conf_in;

	if (e->document_root == NULL || e->document_root[0] != '/') {
		say(f, SETUP_UNCHECKED, "The document root is known only through the web "
		    "server: the page /check, asked through it, looks whether the database "
		    "or the configuration can be downloaded (here: check-config "
		    "--document-root DIR).");
		return;
	}
	resolved(e->document_root, root, sizeof(root));
	conf_in = e->conf_path != NULL && e->conf_path[0] == '/' &&
	    (resolved(e->conf_path, conf, sizeof(conf)), setup_path_below(conf, root));
	db_in = e->conf_ok && e->cfg->database[0] == '/' &&
	    (resolved(e->cfg->database, db, sizeof(db)), setup_path_below(db, root));
	if (db_in) {
		say(f, SETUP_PROBLEM, "The database %s is inside the document root %s: "
		    "anyone could download it. Move it to a folder outside (your home), "
		    "and set database to its new place.", e->cfg->database, e->document_root);
		if (conf_in)
			more(f, " The configuration %s is inside it too.", e->conf_path);
		return;
	}
	if (conf_in) {
		say(f, SETUP_WARNING, "The configuration %s is inside the document root %s, "
		    "where the web server may hand it to anyone. Move it outside, and "
		    "name its new place in DUALSTAT_CONF.", e->conf_path, e->document_root);
		return;
	}
	say(f, SETUP_OK, "Neither the %s nor the configuration is inside the document "
	    "root %s.", e->conf_ok ? "database" : "database (not known: the configuration "
	    "has an error)", e->document_root);
}

static void
check_stylesheet(const struct setup_env *e, struct setup_finding *f)
{
	const char	*url = e->cfg->static_url;
	const char	*own = e->script_name != NULL ? e->script_name : NULL;
	char		 file[PATH_MAX], dir[PATH_MAX];
	struct stat	 st;

	if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) {
		if (e->https && strncmp(url, "http://", 7) == 0) {
			say(f, SETUP_PROBLEM, "static_url is %s, but this page came over "
			    "https: browsers refuse an http:// stylesheet on an https:// "
			    "page. Use https://.", url);
			return;
		}
		say(f, SETUP_UNCHECKED, "static_url is %s, on another site. dualstat "
		    "fetches nothing, so it cannot tell whether %s/dualstat.css loads: "
		    "open that in a browser. The pages allow stylesheets from there.",
		    url, url);
		return;
	}
	/* Pages link static_url "/dualstat.css"; below SCRIPT_NAME dualstat answers it itself. */
	if (own != NULL && strcmp(url, own) == 0) {
		say(f, SETUP_OK, "static_url is dualstat's own path, so it serves its "
		    "built-in stylesheet, at %s/dualstat.css.", url);
		return;
	}
	if (e->document_root == NULL || e->document_root[0] != '/') {
		say(f, SETUP_UNCHECKED, "static_url is %s. Whether %s/dualstat.css is there "
		    "is known only through the web server: the page /check, asked through "
		    "it, looks under its document root (here: check-config "
		    "--document-root DIR).", url[0] != '\0' ? url : "/", url);
		return;
	}
	if ((size_t)snprintf(dir, sizeof(dir), "%s%s", e->document_root, url) >= sizeof(dir) ||
	    (size_t)snprintf(file, sizeof(file), "%s/dualstat.css", dir) >= sizeof(file)) {
		say(f, SETUP_PROBLEM, "static_url makes a path too long to look at.");
		return;
	}
	if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
		say(f, SETUP_OK, "%s is there, for the pages' %s/dualstat.css.", file, url);
		return;
	}
	if (url[0] != '\0' && stat(dir, &st) == 0 && S_ISREG(st.st_mode)) {
		say(f, SETUP_NOTE, "static_url %s is the file %s: if that is dualstat "
		    "itself, it serves its built-in stylesheet there; if not, the pages "
		    "have none.", url, dir);
		return;
	}
	say(f, SETUP_WARNING, "There is no stylesheet at %s, where static_url %s points "
	    "below the document root. Unless the web server maps %s somewhere else (an "
	    "Alias, as the bundled lighttpd, Apache and nginx files do), the pages show "
	    "without styles: upload www/dualstat.css there, or set static_url to "
	    "the path dualstat answers at (%s), and it serves its built-in stylesheet.",
	    file, url[0] != '\0' ? url : "/", url[0] != '\0' ? url : "/",
	    own != NULL ? (own[0] != '\0' ? own : "/") : "SCRIPT_NAME, such as /stats");
}

void
setup_check_one(const struct setup_env *e, enum setup_topic t, struct setup_report *r)
{
	struct setup_finding	*f = &r->f[t];

	say(f, SETUP_UNCHECKED, "Not checked: the configuration has an error (above).");
	switch (t) {
	case SETUP_PROGRAM:
		check_program(e, f);
		break;
	case SETUP_CONFIG:
		check_config(e, f);
		break;
	case SETUP_FOLDER:
		if (e->conf_ok)
			check_folder(e, f);
		break;
	case SETUP_DATABASE:
		if (e->conf_ok)
			check_database(e, f);
		break;
	case SETUP_EXPOSED:
		check_exposed(e, f);
		break;
	case SETUP_STYLESHEET:
		if (e->conf_ok)
			check_stylesheet(e, f);
		break;
	case SETUP__MAX:
		break;
	}
}

void
setup_check(const struct setup_env *e, struct setup_report *r)
{
	enum setup_topic	 t;

	memset(r, 0, sizeof(*r));
	for (t = 0; t < SETUP__MAX; t++) {
		setup_check_one(e, t, r);
		if (r->f[t].level == SETUP_PROBLEM)
			r->problems++;
		else if (r->f[t].level == SETUP_WARNING)
			r->warnings++;
	}
}
