/* csv.h: writing CSV (RFC 4180), with formula-injection defence for spreadsheets. */
#ifndef DUALSTAT_CSV_H
#define DUALSTAT_CSV_H

#include <stdint.h>

#include "buf.h"

/*
 * One field.  Quoted when it holds a comma, quote, CR or LF; a field that
 * starts with = + - @ TAB or CR is prefixed with ' so a spreadsheet does not
 * run it (OWASP "CSV injection").  sep is written before the field
 * unless first is set.
 */
void	 csv_field(struct buf *, const char *value, int first);
void	 csv_u64(struct buf *, uint64_t, int first);
void	 csv_double(struct buf *, double, int first);
void	 csv_eol(struct buf *);	/* CRLF, as RFC 4180 says */

#endif
