-- Shared by the wrk scripts of scripts/bench.sh (loaded with dofile).
--
-- * numbers the threads (`tid`, 1-based) so that scripts can spread ids or
--   make unique names per thread;
-- * counts responses whose status is not 2xx (wrk itself counts only >= 400);
-- * prints one machine-readable line at the end, which bench.sh parses:
--   WRK_RESULT requests=… seconds=… rps=… p50_us=… p90_us=… p99_us=… max_us=…
--              non2xx=… connect=… read=… write=… timeout=…

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
   thread:set("non2xx", 0)
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      if non2xx == 1 then
         -- The first one of each thread, to show what went wrong.
         local text = (body or ""):sub(1, 200):gsub("%s+", " ")
         io.stderr:write(string.format("bench: HTTP %d: %s\n", status, text))
      end
   end
end

-- A copy of the headers given with -H (e.g. Authorization), plus extra ones.
function bench_headers(extra)
   local h = {}
   for k, v in pairs(wrk.headers) do h[k] = v end
   for k, v in pairs(extra or {}) do h[k] = v end
   return h
end

function done(summary, latency, requests)
   local non2xx_total = 0
   for _, t in ipairs(threads) do
      non2xx_total = non2xx_total + (t:get("non2xx") or 0)
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   local rps = 0
   if seconds > 0 then rps = summary.requests / seconds end
   io.write(string.format(
      "WRK_RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, seconds, rps,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      non2xx_total, e.connect, e.read, e.write, e.timeout))
end
