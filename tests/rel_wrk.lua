-- rel_wrk.lua: wrk script for the reliability tests: alternate the paths given as
-- arguments and count the answers by class in every thread; done() prints one line:
--   ok=N s4=N s5=N other=N connect=N read=N write=N timeout=N
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	paths = args
	if #paths == 0 then paths = { "/" } end
	n = 0
	ok, s4, s5, other = 0, 0, 0, 0
end

function request()
	n = n + 1
	return wrk.format("GET", paths[(n % #paths) + 1])
end

function response(status, headers, body)
	if status >= 200 and status < 300 then ok = ok + 1
	elseif status >= 400 and status < 500 then s4 = s4 + 1
	elseif status >= 500 then s5 = s5 + 1
	else other = other + 1 end
end

function done(summary, latency, requests)
	local t = { ok = 0, s4 = 0, s5 = 0, other = 0 }
	for _, th in ipairs(threads) do
		for k, _ in pairs(t) do t[k] = t[k] + th:get(k) end
	end
	local e = summary.errors
	io.write(string.format("ok=%d s4=%d s5=%d other=%d connect=%d read=%d write=%d timeout=%d\n",
	    t.ok, t.s4, t.s5, t.other, e.connect, e.read, e.write, e.timeout))
end
