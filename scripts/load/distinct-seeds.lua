-- wrk script for the load test (scripts/load-test): every request asks for a new seed, so every
-- request runs a fresh ensemble instead of being served from the server's cache. Each wrk thread
-- counts from its own offset (plus the first script argument, if any, so that a second run asks
-- for other seeds than the first), and no two requests share a seed.
local threads = 0

function setup(thread)
  thread:set("offset", threads * 1000000)
  threads = threads + 1
end

function init(args)
  seed = offset + (tonumber(args[1]) or 0)
end

function request()
  seed = seed + 1
  return wrk.format("GET", "/api/run?scenario=stalin-expelled&runs=2000&seed=" .. seed)
end
