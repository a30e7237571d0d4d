-- GET a path for each id in a file, in turn: wrk … -s rotate.lua URL -- IDS_FILE PATH_FORMAT
-- PATH_FORMAT has one %s for the id, e.g. /api/v1/orgs/exempelstad/systems/%s
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local paths = {}
local i = 0

function init(args)
   local file, fmt = args[1], args[2]
   assert(file and fmt, "usage: -- IDS_FILE PATH_FORMAT")
   for line in io.lines(file) do
      if line ~= "" then paths[#paths + 1] = string.format(fmt, line) end
   end
   assert(#paths > 0, "no ids in " .. file)
   -- Threads start at different places in the list.
   i = ((tid or 1) - 1) * math.floor(#paths / 2)
end

function request()
   i = i % #paths + 1
   return wrk.format("GET", paths[i])
end
