-- rectify-answer.lua - wrk: a principal answers a rectification item with a note
-- and one evidence file (open -> submitted, one journal entry). Each request
-- answers a different item, as the item's own principal, with the item's current
-- version and its own Idempotency-Key.
-- Environment: BENCH_ANSWERS (a file of lines "item_id version evidence_id token"),
-- BENCH_KEY (a prefix unique to the run), BENCH_NO_IDEMPOTENCY=1 (diagnostics:
-- leave the key out, to see what it costs).
local rows = {}
for line in io.lines(os.getenv("BENCH_ANSWERS")) do
  local id, ver, ev, tok = string.match(line, "(%d+)%s+(%d+)%s+(%d+)%s+(%x+)")
  if id then rows[#rows + 1] = { id, ver, ev, "Bearer " .. tok } end
end
local key = os.getenv("BENCH_KEY")
local hdr = { ["Content-Type"] = "application/json" }
local idem = os.getenv("BENCH_NO_IDEMPOTENCY") ~= "1"   -- 1: no key (diagnostics only)
local n = 0

request = function()
  n = n + 1
  local r = rows[(n - 1) % #rows + 1]   -- past the end: stale versions, counted as errors
  local body = string.format(
    '{"version":%s,"note":"已整改：杂物已清理，应急照明已更换，附整改后照片。","evidence_ids":[%s]}', r[2], r[3])
  hdr["Authorization"] = r[4]
  if idem then hdr["Idempotency-Key"] = key .. "-" .. r[1] end
  return wrk.format("POST", "/api/v1/rectifications/" .. r[1] .. "/answer", hdr, body)
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/done.lua")
