/* html.h: writing HTML.  Markup is literal; every piece of data goes through html_txt/html_attr. */
#ifndef DUALSTAT_HTML_H
#define DUALSTAT_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Literal markup written by the program itself: never data. */
void	 html(struct buf *, const char *markup);
/* Text content: escapes & < > " ' (so it is also safe in attributes). */
void	 html_txt(struct buf *, const char *text);
void	 html_txtn(struct buf *, const char *text, size_t len);
/* An attribute value, to be written between double quotes: same escaping as html_txt. */
void	 html_attr(struct buf *, const char *value);
/* Numbers need no escaping, but have one place that writes them. */
void	 html_u64(struct buf *, uint64_t);
/* A share 0..1 as a percentage with one decimal: "42.5 %". */
void	 html_percent(struct buf *, double share);

/*
 * The page frame: doctype, head with title (escaped), the stylesheet at
 * static_url "/dualstat.css", and an opening <main>.  html_close() ends it.
 */
void	 html_open(struct buf *, const char *title, const char *static_url);
void	 html_close(struct buf *);

#endif
