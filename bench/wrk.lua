-- wrk script for bench/run.sh. Configured through the environment:
--   BENCH_MODE   insert | get | list | page
--   BENCH_KEY    the project's service key (sent as X-API-Key)
--   BENCH_BASE   path prefix of the table, e.g. /api/v1/data/prj_x/bench_insert
--   BENCH_BODY   file with the request body (insert)
--   BENCH_IDS    file with one row id per line (get)
--   BENCH_AS_OF  RFC 3339 instant (list and page, optional): read the table as it was then
-- done() prints one line "RESULT key=value ..." that run.sh parses (latencies in microseconds).

local mode = os.getenv("BENCH_MODE")
local base = os.getenv("BENCH_BASE")

wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY")
wrk.headers["Accept"] = "application/json"

local function slurp(path)
  local f = assert(io.open(path, "r"))
  local text = f:read("*a")
  f:close()
  return text
end

local ids = {}
local as_of = os.getenv("BENCH_AS_OF")

if mode == "insert" then
  wrk.method = "POST"
  wrk.path = base
  wrk.body = slurp(os.getenv("BENCH_BODY"))
  wrk.headers["Content-Type"] = "application/json"
elseif mode == "get" then
  for line in io.lines(os.getenv("BENCH_IDS")) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  assert(#ids > 0, "no ids in BENCH_IDS")
end

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 100 + (seed or 0))
end

if mode == "get" then
  request = function()
    return wrk.format("GET", base .. "/" .. ids[math.random(#ids)])
  end
elseif mode == "list" then
  -- a filtered list: one category of ten, an amount range, sorted, 20 rows; with BENCH_AS_OF set,
  -- the same query over the table as it was at that instant
  local suffix = as_of and ("&as_of=" .. as_of) or ""
  request = function()
    return wrk.format("GET", base .. "?category=eq.c" .. math.random(0, 9) .. "&amount=gte." .. math.random(0, 800)
      .. "&order=amount.asc&limit=20" .. suffix)
  end
elseif mode == "page" then
  -- a plain page of 20 rows in the default order (id.desc) at a random offset below 1,000
  local suffix = as_of and ("&as_of=" .. as_of) or ""
  request = function()
    return wrk.format("GET", base .. "?limit=20&offset=" .. (20 * math.random(0, 49)) .. suffix)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p99_us=%d mean_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), math.floor(latency.mean), latency.max))
end
