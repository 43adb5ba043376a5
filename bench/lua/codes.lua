-- Scenarios (a) and (b): GET a path built from a random real tracking code each request.
--   BENCH_CODES_FILE  one code per line (written by bench/load.py from the database)
--   BENCH_PATH        the path with %s where the code goes, e.g. /lacak/%s/
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local codes = {}
local path_template = os.getenv("BENCH_PATH")

function init(args)
   for line in io.lines(os.getenv("BENCH_CODES_FILE")) do
      if #line > 0 then
         table.insert(codes, line)
      end
   end
   math.randomseed(os.time() * 1000 + id)
end

function request()
   local code = codes[math.random(#codes)]
   return wrk.format("GET", string.format(path_template, code))
end
