-- rectify-list.lua - wrk: one page of 100 open items of a town sorted by deadline.
-- Environment: DUDAO_TOKEN (Bearer token of a user who sees the town),
-- BENCH_LIST_PATH (the path and query string). With BENCH_LIST_UNIQUE=1 each
-- request adds a parameter of its own (ignored by the service), so that no answer
-- kept in the service's read cache is ever served: the database is read each time.
local hdr = { ["Authorization"] = "Bearer " .. os.getenv("DUDAO_TOKEN") }
local path = os.getenv("BENCH_LIST_PATH")
local unique = os.getenv("BENCH_LIST_UNIQUE") == "1"
local n = 0

request = function()
  if unique then
    n = n + 1
    return wrk.format("GET", path .. "&_=" .. n, hdr)
  end
  return wrk.format("GET", path, hdr)
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/done.lua")
