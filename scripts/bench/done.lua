-- done.lua - wrk's done(): one JSON line with the request rate and the latency
-- percentiles from wrk's own histogram. Loaded by every benchmark script with
--   dofile(os.getenv("BENCH_LUA_DIR") .. "/done.lua")
-- non2xx counts answers with status >= 400 (wrk's errors.status); sock_err the
-- connect, read, write and timeout errors.
done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.2f,"rps":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.1f,"non2xx":%d,"sock_err":%d}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
