-- The peer's public submit (django-helpdesk /tickets/submit/), as a browser fills it in: the
-- same GET + POST pairs as submit.lua does on Layanan's form.
--   BENCH_PATH   the form's path (/tickets/submit/)
--   BENCH_QUEUE  the id of the queue open to public submission
-- A 302 to /view/?ticket=… is a filed ticket. POSTs sent and answered are counted.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local path = os.getenv("BENCH_PATH")
local queue = os.getenv("BENCH_QUEUE")
local token = nil
local cookie = nil
local want_post = false
local boundary = "----LayananBench7MA4YWxkTrZu0gW"
local seq = 0

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
      part("queue", queue),
      part("title", "Antrean loket terlalu lama (uji beban " .. n .. ")"),
      part("body", "Uji beban: pengaduan nomor " .. n .. " dari utas " .. id ..
           ". Antrean di loket pelayanan lebih dari dua jam tanpa kejelasan."),
      part("priority", "3"),
      part("due_date", ""),
      part("submitter_email", "penguji" .. id .. "-" .. n .. "@example.org"),
      "--" .. boundary .. "\r\n" ..
         'Content-Disposition: form-data; name="attachment"; filename=""\r\n' ..
         "Content-Type: application/octet-stream\r\n\r\n\r\n",
   }
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
   local location = get_header(headers, "Location")
   if status == 302 and location ~= nil then
      extra.posts_answered = extra.posts_answered + 1
      extra.post_queries_sum = extra.post_queries_sum + (tonumber(get_header(headers, "X-Bench-Queries")) or 0)
      local ticket = string.match(location, "ticket=([%w%-]+)")
      if ticket ~= nil then
         extra.filed = extra.filed + 1
         table.insert(codes, ticket)
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
      if status == 200 and string.find(body, "errorlist", 1, true) ~= nil then
         extra.posts_answered = extra.posts_answered + 1
         extra.form_errors = extra.form_errors + 1
      end
   end
   if status == 403 or status == 429 then
      extra.posts_answered = extra.posts_answered + 1
   end
end
