-- POST a new system with a unique name to the URL given to wrk:
--   wrk … -s create.lua http://…/api/v1/orgs/ORG/systems -- RUN_ID [PHASE]
-- Names are "Bench RUN_ID-PHASE-THREAD-N": unique per run, phase (warm-up,
-- measured run, profile), thread and request.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local run, n, headers

function init(args)
   run = (args[1] or tostring(os.time())) .. "-" .. (args[2] or "run")
   n = 0
   headers = bench_headers({ ["Content-Type"] = "application/json" })
end

function request()
   n = n + 1
   local body = string.format(
      '{"name":"Bench %s-%d-%d","lifecycle":"in_operation","hosting":"internal",' ..
      '"vendor":"Benchleverantören AB","purpose":"Skapat av scripts/bench.sh",' ..
      '"user_count":%d,"business_critical":%s}',
      run, tid or 0, n, n % 500 + 1, (n % 7 == 0) and "true" or "false")
   return wrk.format("POST", wrk.path, headers, body)
end
