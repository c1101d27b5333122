-- rectify-create.lua - wrk: an inspector's one-shot submission from the phone:
-- POST /api/v1/visits with "file": true and one finding, which files the visit and
-- creates one rectification item (with its journal entry) in one request. Every
-- request has its own Idempotency-Key, as the pages send it.
-- Environment: DUDAO_TOKEN (a visitor's Bearer token), BENCH_SCHOOLS and
-- BENCH_ITEMS (comma lists of school and checklist item ids), DUDAO_TODAY
-- (YYYY-MM-DD), BENCH_KEY (a prefix unique to the run), BENCH_NO_IDEMPOTENCY=1
-- (diagnostics: leave the key out, to see what it costs).
local function list(s)
  local t = {}
  for x in string.gmatch(s, "%d+") do t[#t + 1] = tonumber(x) end
  return t
end
local schools = list(os.getenv("BENCH_SCHOOLS"))
local items = list(os.getenv("BENCH_ITEMS"))
local key = os.getenv("BENCH_KEY")
local y, m, d = string.match(os.getenv("DUDAO_TODAY"), "(%d+)-(%d+)-(%d+)")
local today = os.time({year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12})
local severities = { "一般", "较重", "严重" }
local hdr = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("DUDAO_TOKEN"),
}
local idem = os.getenv("BENCH_NO_IDEMPOTENCY") ~= "1"   -- 1: no key (diagnostics only)
local n = 0

request = function()
  n = n + 1
  -- visits of the last 120 days, spread over every school and checklist item
  local date = os.date("%Y-%m-%d", today - (n % 120) * 86400)
  local body = string.format(
    '{"school_id":%d,"visit_date":"%s","kind":"经常性督导","file":true,' ..
    '"findings":[{"item_id":%d,"severity":"%s","description":"第%d号问题：消防通道堆放杂物，应急照明损坏，需限期清理并更换。"}]}',
    schools[n % #schools + 1], date, items[n % #items + 1], severities[n % 3 + 1], n)
  if idem then hdr["Idempotency-Key"] = key .. "-" .. n end
  return wrk.format("POST", "/api/v1/visits", hdr, body)
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/done.lua")
