#!/bin/sh
# e2e_privacy_static.sh: tests/e2e_privacy.sh with dualstat-static as the CGI program: no
# full address on disk or in the logs from the static binary either.
. "${top_srcdir:-.}/tests/static.sh"
. "$top_srcdir/tests/e2e_privacy.sh"
