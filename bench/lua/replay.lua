-- wrk script: replays requests read from a file, checks every answer, prints a JSON summary.
--
-- Arguments (after `--`): FILE METHOD PATH EXPECT VARY RUN_ID
--   FILE    one request per line: tab-separated "Name: value" headers, then the body (may be empty)
--   EXPECT  text every good answer contains (and status 200); other answers are counted as bad
--   VARY    "1": replace each "@@ID@@" in a body by a fresh id (message ids), per request
--   RUN_ID  prefix of those ids, unique per run
-- A request is picked at random from the file for each send (a pool of ids, realistic caches).

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

local items = {}
local prepared = {}
local method, path, expect, vary, run_id
local counter = 0
bad = 0
first_bad = ""

local function split_line(line)
  local fields, start = {}, 1
  while true do
    local tab = string.find(line, "\t", start, true)
    if not tab then
      table.insert(fields, string.sub(line, start))
      return fields
    end
    table.insert(fields, string.sub(line, start, tab - 1))
    start = tab + 1
  end
end

function init(args)
  local file = args[1]
  method, path, expect, vary, run_id = args[2], args[3], args[4], args[5] == "1", args[6]
  math.randomseed(os.time() + (thread_index or 0) * 7919)
  for line in io.lines(file) do
    local fields = split_line(line)
    local body = table.remove(fields)
    local headers = {}
    for _, h in ipairs(fields) do
      local name, value = string.match(h, "^([^:]+):%s*(.*)$")
      if name then headers[name] = value end
    end
    if body == "" then body = nil end
    table.insert(items, { headers = headers, body = body })
    if not vary then table.insert(prepared, wrk.format(method, path, headers, body)) end
  end
  if #items == 0 then error("no requests in " .. file) end
end

function request()
  local i = math.random(#items)
  if not vary then return prepared[i] end
  counter = counter + 1
  local prefix = run_id .. "-" .. (thread_index or 0) .. "-" .. counter .. "-"
  local n = 0
  local body = string.gsub(items[i].body, "@@ID@@", function()
    n = n + 1
    return prefix .. n
  end)
  return wrk.format(method, path, items[i].headers, body)
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, expect, 1, true) then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 300) end
  end
end

local function json_string(s)
  s = string.gsub(s, '[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local total_bad, first = 0, ""
  for _, t in ipairs(threads) do
    total_bad = total_bad + t:get("bad")
    if first == "" then first = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"bad":%d,"firstBad":%s,"durationUs":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f,"stdev":%.1f}}\n',
    summary.requests, total_bad, json_string(first), summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean, latency.stdev))
end
