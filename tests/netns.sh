# netns.sh: a network namespace of the test's own, for the tests that bind a wildcard
# (0.0.0.0, [::]) as production does (sourced after lib.sh).  A wildcard socket listens
# on every address of the host; inside a namespace whose only interface is its own
# loopback, nothing outside the test can reach it, and the test's client addresses
# (documentation prefixes) never touch the machine's lo.

# The command prefix that runs a program inside the namespace: empty until netns_up,
# so the same lines run in the host's namespace where there is none.
IN=""

# netns_up N: create the namespace dualstat-itN-PID with its lo up and the client
# addresses V4 (203.0.113.N) and V6 (2001:db8:ffff:N::1) on it, and make get() run
# curl inside it.  Sets NS, IN and HOST_CURL (the curl get() ran before).  Returns 1,
# having changed nothing, where no namespace can be created (not root, no ip, a
# container without CAP_SYS_ADMIN); skips when one was created but cannot be set up.
# Call it in the test's own shell, not in $(...): it sets variables.
netns_up() {
	[ "$(id -u)" -eq 0 ] || return 1
	command -v ip >/dev/null 2>&1 || return 1
	ip netns add "dualstat-it$1-$$" 2>/dev/null || return 1
	NS="dualstat-it$1-$$"
	# at_cleanup runs after the tracked processes have stopped: the servers
	# started in the namespace are gone before it is.
	at_cleanup 'ip netns delete "$NS" 2>/dev/null || true'
	IN="ip netns exec $NS"
	$IN ip link set lo up || skip "cannot bring up lo in namespace $NS"
	V4=203.0.113.$1
	V6=2001:db8:ffff:$1::1
	$IN ip addr add "$V4/32" dev lo || skip "cannot add $V4 to lo in $NS"
	$IN ip -6 addr add "$V6/128" dev lo nodad || skip "cannot add $V6 to lo in $NS"
	# get() runs $CURL: a wrapper runs it inside the namespace.
	HOST_CURL=${CURL:-curl}
	printf '#!/bin/sh\nexec ip netns exec %s %s "$@"\n' "$NS" "$HOST_CURL" > "$W/curl-ns"
	chmod +x "$W/curl-ns"
	CURL="$W/curl-ns"
	echo "# in network namespace $NS"
}

# ns_listening PORT [N]: at least N sockets (default 1) listen on PORT where the servers
# run (the namespace, or the host's without one); the sockets are in $W/ss.out.  A server
# opens its sockets one after the other: wait for all of them, not the first.
ns_listening() {
	$IN ss -Hltn "( sport = :$1 )" > "$W/ss.out" 2>/dev/null &&
	    [ "$(grep -c . "$W/ss.out")" -ge "${2:-1}" ]
}
