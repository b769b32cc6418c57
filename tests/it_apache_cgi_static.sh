#!/bin/sh
# it_apache_cgi_static.sh: tests/it_apache_cgi.sh, all of it, with dualstat-static: the README's
# shared-hosting walk-through under the real Apache with the bundled .htaccess (one file
# uploaded as "stats", the configuration in the home, static_url = /stats so that dualstat
# serves its built-in stylesheet), then the static binary under mod_fcgid.
. "${top_srcdir:-.}/tests/static.sh"
APACHE_CGI_STATIC=1
APACHE_CGI_N=26
. "$top_srcdir/tests/it_apache_cgi.sh"
