-- POST a diary entry with a fresh client_id (a UUID) on every request.
-- Environment: BENCH_PATH, BENCH_COOKIE, BENCH_CSRF (empty for the lean peer), BENCH_DATE.
local path = os.getenv("BENCH_PATH")
local day = os.getenv("BENCH_DATE")
local headers = {
  ["Cookie"] = os.getenv("BENCH_COOKIE"),
  ["Content-Type"] = "application/json",
  ["Accept"] = "application/json",
  ["User-Agent"] = "wrk",
}
local csrf = os.getenv("BENCH_CSRF")
if csrf and csrf ~= "" then headers["X-CSRFToken"] = csrf end

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local counter = 0
function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  prefix = string.format("%08x-%04x-4%03x", math.random(0, 0x7fffffff),
    math.random(0, 0xffff), math.random(0, 0xfff))
end

function request()
  counter = counter + 1
  local id = string.format("%s-8%03x-%012x", prefix, tid or 0, counter)
  local body = string.format('{"client_id": "%s", "date": "%s", "strength": 0}', id, day)
  return wrk.format("POST", path, headers, body)
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
