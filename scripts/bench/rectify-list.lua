-- rectify-list.lua - wrk: one page of 100 open items of a town sorted by deadline.
-- Environment: DUDAO_TOKEN (Bearer token of a user who sees the town),
-- BENCH_LIST_PATH (the path and query string).
local hdr = { ["Authorization"] = "Bearer " .. os.getenv("DUDAO_TOKEN") }
local path = os.getenv("BENCH_LIST_PATH")

request = function()
  return wrk.format("GET", path, hdr)
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/done.lua")
