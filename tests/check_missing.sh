#!/bin/sh
# check_missing.sh: stands in for the Check unit suites when configure found no Check,
# so their absence is a SKIP that says why (and a failure under CI), never a silent pass.
. "${top_srcdir:-.}/tests/lib.sh"
skip "configure found no Check (libcheck): install the Debian package check and run configure again"
