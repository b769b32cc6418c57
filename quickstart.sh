#!/bin/sh
# quickstart.sh: the README's two commands, on a fresh Debian 12 machine.
#   sudo sh quickstart.sh demo   install the Debian packages, build, run the demo under lighttpd
#   sh quickstart.sh check       build and run the whole test suite (as root, nothing skips)
# Builds out of tree in ./build; PORT and BIND pass through to `make demo`.  Under sudo only
# the packages are installed as root: the build and the demo (its database too) run as the
# user who ran sudo, so `sh quickstart.sh check` can use ./build afterwards; run as root
# without sudo (CI), everything runs as root.  check runs
# make check, make distcheck, then tests/sanitize.sh (the suite under ASan+UBSan, the unit
# and CLI/CGI tests under valgrind, each fuzz target for FUZZ_SECONDS, default 60).
set -eu
cd "$(dirname "$0")"
top=$(pwd)

packages() {
	grep -v '^#' "$top/debian-packages.txt" | grep -v '^[[:space:]]*$'
}

install_packages() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "quickstart: installing packages needs root: run it with sudo" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2046
	apt-get install -y --no-install-recommends $(packages)
}

build() {
	[ -x "$top/configure" ] || "$top/autogen.sh"
	mkdir -p "$top/build"
	cd "$top/build"
	[ -f Makefile ] || "$top/configure" --prefix=/usr/local --sysconfdir=/etc --localstatedir=/var
	make -j2
}

# sudo_user: true when this runs as root under sudo, for SUDO_USER (not root).
sudo_user() {
	[ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]
}

# A build folder that root wrote into (quickstart.sh demo under sudo did, before it ran
# the build as the user) cannot be built in by the user: say how to give it back.
check_build_owner() {
	if [ -e "$top/build" ]; then
		_other=$(find "$top/build" ! -user "$SUDO_USER" -print -quit)
		if [ -n "$_other" ]; then
			echo "quickstart: $_other (in ./build) does not belong to $SUDO_USER; give it back with" >&2
			echo "  sudo chown -R $SUDO_USER: $top/build" >&2
			exit 1
		fi
	elif ! runuser -u "$SUDO_USER" -- test -w "$top"; then
		echo "quickstart: $SUDO_USER cannot create $top/build" >&2
		exit 1
	fi
}

# On failure, show the logs of the tests that failed: CI has no other way to see them.
show_failures() {
	for log in $(find "$top/build" -name '*.log' -path '*tests*' 2>/dev/null); do
		if grep -qE '^(FAIL|ERROR)' "${log%.log}.trs" 2>/dev/null; then
			echo "==== $log"
			tail -n 60 "$log"
		fi
	done
}

case ${1:-} in
demo)
	install_packages
	if sudo_user; then
		check_build_owner
		# runuser keeps the environment (PORT, BIND) and the terminal's process
		# group, so Ctrl-C still reaches lighttpd.
		exec runuser -u "$SUDO_USER" -- sh "$top/quickstart.sh" demo-run
	fi
	build
	make demo
	;;
demo-run)
	# demo without installing the packages: what demo runs as the user under sudo.
	build
	make demo
	;;
check)
	build
	if ! make -j2 check; then
		show_failures
		exit 1
	fi
	make -j2 distcheck DISTCHECK_CONFIGURE_FLAGS=
	cd "$top"
	FUZZ_SECONDS=${FUZZ_SECONDS:-60} sh tests/sanitize.sh
	;;
*)
	echo "usage: sh quickstart.sh demo|check" >&2
	exit 2
	;;
esac
