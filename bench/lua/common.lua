-- Shared by the scenario scripts: counts responses per status code and the X-Bench-Queries
-- header (added by bench.urls.QueryCountMiddleware), and prints one line at the end:
--   BENCH_RESULT {"requests": ..., "duration_us": ..., "p50_us": ..., "p99_us": ..., ...}
-- which bench/load.py parses. A scenario script sets `on_response(status, headers, body)` for
-- anything more it needs, and may keep counters in a global table `extra` (numbers, summed over
-- the threads) and strings in a global list `codes` (joined). Both flat: wrk's thread:get()
-- cannot copy a table nested in a table.

local threads = {}
local counter = 1

function setup(thread)
   thread:set("id", counter)
   table.insert(threads, thread)
   counter = counter + 1
end

statuses = {}
queries_sum = 0
queries_n = 0
queries_max = 0

local function header(headers, name)
   local value = headers[name]
   if value ~= nil then
      return value
   end
   local lower = string.lower(name)
   for key, v in pairs(headers) do
      if string.lower(key) == lower then
         return v
      end
   end
   return nil
end
get_header = header

function response(status, headers, body)
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
   local q = tonumber(header(headers, "X-Bench-Queries"))
   if q ~= nil then
      queries_sum = queries_sum + q
      queries_n = queries_n + 1
      if q > queries_max then
         queries_max = q
      end
   end
   if on_response ~= nil then
      on_response(status, headers, body)
   end
end

local function json_value(v)
   if type(v) == "table" then
      local parts = {}
      local is_list = #v > 0
      if is_list then
         for _, item in ipairs(v) do
            table.insert(parts, json_value(item))
         end
         return "[" .. table.concat(parts, ",") .. "]"
      end
      for k, item in pairs(v) do
         table.insert(parts, string.format("%q", tostring(k)) .. ":" .. json_value(item))
      end
      return "{" .. table.concat(parts, ",") .. "}"
   elseif type(v) == "string" then
      return string.format("%q", v)
   elseif type(v) == "boolean" then
      return v and "true" or "false"
   end
   return string.format("%.17g", v)
end

function done(summary, latency, requests)
   local all_statuses = {}
   local q_sum, q_n, q_max = 0, 0, 0
   local extras = {}
   local all_codes = {}
   for _, thread in ipairs(threads) do
      local s = thread:get("statuses")
      for code, n in pairs(s) do
         all_statuses[code] = (all_statuses[code] or 0) + n
      end
      q_sum = q_sum + thread:get("queries_sum")
      q_n = q_n + thread:get("queries_n")
      local m = thread:get("queries_max")
      if m > q_max then
         q_max = m
      end
      local extra = thread:get("extra")
      if extra ~= nil then
         for k, v in pairs(extra) do
            extras[k] = (extras[k] or 0) + v
         end
      end
      local thread_codes = thread:get("codes")
      if thread_codes ~= nil then
         for _, code in ipairs(thread_codes) do
            table.insert(all_codes, code)
         end
      end
   end
   local result = {
      requests = summary.requests,
      duration_us = summary.duration,
      bytes = summary.bytes,
      errors_connect = summary.errors.connect,
      errors_read = summary.errors.read,
      errors_write = summary.errors.write,
      errors_status = summary.errors.status,
      errors_timeout = summary.errors.timeout,
      p50_us = latency:percentile(50),
      p90_us = latency:percentile(90),
      p99_us = latency:percentile(99),
      max_us = latency.max,
      mean_us = latency.mean,
      statuses = all_statuses,
      queries_sum = q_sum,
      queries_n = q_n,
      queries_max = q_max,
      extra = extras,
      codes = all_codes,
   }
   io.write("BENCH_RESULT " .. json_value(result) .. "\n")
end
