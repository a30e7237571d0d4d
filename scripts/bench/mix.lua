-- A mixed workload for the soak of scripts/resilience.sh, in fixed proportions
-- (of every 10 requests): 3 API lists, 2 API gets of one system (ids rotated),
-- 2 searches, 2 register pages (HTML) and 1 create (a new system, unique name).
--   wrk … -s mix.lua http://HOST:PORT -- ORG TOKEN SESSION IDS_FILE RUN_ID [DELAY_MS]
-- DELAY_MS (default 0) is waited by each connection before each request: it
-- throttles the load to a chosen rate.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local org, api, page, ids, run, wait_ms
local n = 0

function init(args)
   org, run = args[1], args[5]
   api = { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }
   page = { ["Cookie"] = "__Host-insyn=" .. args[3] }
   ids = {}
   for line in io.lines(args[4]) do
      if line ~= "" then ids[#ids + 1] = line end
   end
   assert(#ids > 0, "no ids in " .. args[4])
   wait_ms = tonumber(args[6] or "0")
end

function delay()
   return wait_ms
end

function request()
   n = n + 1
   local slot = n % 10
   local base = "/api/v1/orgs/" .. org .. "/systems"
   if slot < 3 then
      return wrk.format("GET", base .. "?per_page=50&page=" .. (n % 4 + 1), api)
   elseif slot < 5 then
      return wrk.format("GET", base .. "/" .. ids[n % #ids + 1], api)
   elseif slot < 7 then
      local words = { "ekonomi", "skola", "personal", "system" }
      return wrk.format("GET", base .. "?per_page=50&q=" .. words[n % #words + 1], api)
   elseif slot < 9 then
      return wrk.format("GET", "/o/" .. org .. "/systems", page)
   end
   local body = string.format(
      '{"name":"Soak %s-%d-%d","lifecycle":"in_operation","hosting":"internal"}',
      run, tid or 0, n)
   return wrk.format("POST", base, api, body)
end
