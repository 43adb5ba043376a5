-- Scenarios (c), (e), (f): GET one fixed path, optionally with a session cookie.
--   BENCH_PATH    the path (with its query string)
--   BENCH_COOKIE  the Cookie header to send (empty: none)
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local cookie = os.getenv("BENCH_COOKIE") or ""
local path = os.getenv("BENCH_PATH")
local headers = {}
if cookie ~= "" then
   headers["Cookie"] = cookie
end

function request()
   return wrk.format("GET", path, headers)
end
