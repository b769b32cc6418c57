#!/bin/sh
# fill.sh: fill the @NAME@ placeholders of a bundled configuration template.
#   sh conf/fill.sh TEMPLATE NAME=VALUE... > OUTPUT
# Used by `make demo` and by the integration tests, so that what runs is the bundled file
# itself with only its ports and paths filled in.  Refuses to leave a placeholder unfilled.
set -eu
[ $# -ge 1 ] || { echo "usage: fill.sh TEMPLATE NAME=VALUE..." >&2; exit 2; }
template=$1
shift
script=""
for pair in "$@"; do
	name=${pair%%=*}
	value=${pair#*=}
	# Escape what sed would read as special in the replacement: \ & and the | delimiter.
	value=$(printf '%s' "$value" | sed 's/[\\&|]/\\&/g')
	script="$script
s|@$name@|$value|g"
done
out=$(sed "$script" "$template")
left=$(printf '%s\n' "$out" | grep -o '@[A-Z0-9_]*@' | sort -u | tr '\n' ' ' || true)
if [ -n "$left" ]; then
	echo "fill.sh: $template: unfilled placeholders: $left" >&2
	exit 1
fi
printf '%s\n' "$out"
