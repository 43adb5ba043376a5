-- Scenario (d): the public complaint form, as a browser fills it in.
--   BENCH_PATH  the form's path, e.g. /pengaduan/biro-kesra/
-- Each thread alternates: GET the form (keep the csrfmiddlewaretoken from the page and the
-- csrftoken cookie when one is set), then POST it as multipart/form-data with that token and
-- cookie. Until a thread holds a token it only GETs. A 303 to /pengaduan/diterima/<code>/ is a
-- filed complaint: its code is recorded, so bench/load.py can check each one is in the
-- database exactly once; POSTs sent and POSTs answered are counted (the difference is what was
-- still in flight when wrk stopped).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local path = os.getenv("BENCH_PATH")
local token = nil
local cookie = nil
local want_post = false
local boundary = "----LayananBench7MA4YWxkTrZu0gW"
local seq = 0

-- flat tables only: wrk's thread:get() cannot copy a table inside a table
extra = {posts_sent = 0, posts_answered = 0, gets_sent = 0, filed = 0, form_errors = 0,
         post_queries_sum = 0}
codes = {}

local function part(name, value)
   return "--" .. boundary .. "\r\n" ..
      'Content-Disposition: form-data; name="' .. name .. '"\r\n\r\n' .. value .. "\r\n"
end

local function body_for(n)
   local fields = {
      part("csrfmiddlewaretoken", token),
      part("service", ""),
      part("subject", "Antrean loket terlalu lama (uji beban " .. n .. ")"),
      part("description", "Uji beban: pengaduan nomor " .. n .. " dari utas " .. id ..
           ". Antrean di loket pelayanan lebih dari dua jam tanpa kejelasan."),
      part("location", "Loket pelayanan"),
   }
   local mode = n % 3
   if mode == 0 then
      table.insert(fields, part("identity", "anonymous"))
   elseif mode == 1 then
      table.insert(fields, part("identity", "normal"))
      table.insert(fields, part("name", "Penguji Beban " .. n))
      table.insert(fields, part("phone", "0812 3456 7890"))
      table.insert(fields, part("consent", "on"))
   else
      table.insert(fields, part("identity", "normal"))
      table.insert(fields, part("name", "Penguji Beban " .. n))
      table.insert(fields, part("email", "penguji" .. id .. "-" .. n .. "@example.org"))
      table.insert(fields, part("consent", "on"))
   end
   table.insert(fields, part("website", ""))
   -- an empty file input, as a browser sends it when no file is chosen
   table.insert(fields, "--" .. boundary .. "\r\n" ..
      'Content-Disposition: form-data; name="attachments"; filename=""\r\n' ..
      "Content-Type: application/octet-stream\r\n\r\n\r\n")
   return table.concat(fields) .. "--" .. boundary .. "--\r\n"
end

function init(args)
   math.randomseed(os.time() * 1000 + id)
end

function request()
   local headers = {}
   if cookie ~= nil then
      headers["Cookie"] = "csrftoken=" .. cookie
   end
   if want_post and token ~= nil and cookie ~= nil then
      want_post = false
      seq = seq + 1
      extra.posts_sent = extra.posts_sent + 1
      headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
      return wrk.format("POST", path, headers, body_for(id * 10000000 + seq))
   end
   want_post = true
   extra.gets_sent = extra.gets_sent + 1
   return wrk.format("GET", path, headers)
end

function on_response(status, headers, body)
   -- wrk does not say which request a response answers; with one thread's connections all
   -- sending GET/POST pairs the method is told apart by the response itself.
   local location = get_header(headers, "Location")
   if status == 303 and location ~= nil then
      extra.posts_answered = extra.posts_answered + 1
      extra.post_queries_sum = extra.post_queries_sum + (tonumber(get_header(headers, "X-Bench-Queries")) or 0)
      local code = string.match(location, "/diterima/([%w%-]+)/")
      if code ~= nil then
         extra.filed = extra.filed + 1
         table.insert(codes, code)
      end
      return
   end
   local set_cookie = get_header(headers, "Set-Cookie")
   if set_cookie ~= nil then
      local value = string.match(set_cookie, "csrftoken=([^;]+)")
      if value ~= nil then
         cookie = value
      end
   end
   if body ~= nil then
      local value = string.match(body, 'name="csrfmiddlewaretoken" value="([^"]+)"')
      if value ~= nil then
         token = value
      end
      if status == 400 then
         -- a POST the form refused (it shows the form again, with errors)
         extra.posts_answered = extra.posts_answered + 1
         extra.form_errors = extra.form_errors + 1
      end
   end
   if status == 403 or status == 429 then
      extra.posts_answered = extra.posts_answered + 1
   end
end
