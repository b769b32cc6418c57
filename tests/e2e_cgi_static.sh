#!/bin/sh
# e2e_cgi_static.sh: tests/e2e_cgi.sh, every assertion of it, with dualstat-static as the CGI
# program: pages, headers, rows, errors, faults, the upkeep turns and the counters file.
. "${top_srcdir:-.}/tests/static.sh"
. "$top_srcdir/tests/e2e_cgi.sh"
