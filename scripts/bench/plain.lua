-- One fixed URL (the one given to wrk); only the shared counting and report.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
