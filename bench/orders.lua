-- wrk script: places orders of one unit of a variant, each with a fresh Idempotency-Key and a
-- token saved by tokens.lua (same number of threads). Usage:
--   wrk ... -s orders.lua URL -- TOKEN_PREFIX VARIANT_ID RUN_ID
-- A thread that runs out of tokens sends "exhausted", which wrk counts as non-2xx answers.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

local tokens, next_token, variant, run
function init(args)
  tokens, next_token = {}, 1
  for line in io.lines(args[1] .. "." .. thread_id) do tokens[#tokens + 1] = line end
  variant, run = args[2], args[3]
end

local address = '{"name":"Camille Martin","email":"camille@example.com","line1":"12 rue des Lilas",'
  .. '"postal_code":"75011","city":"Paris","country":"FR"}'

function request()
  local token = tokens[next_token] or "exhausted"
  local key = string.format("bench-%s-%d-%d", run, thread_id, next_token)
  next_token = next_token + 1
  local body = string.format(
    '{"lines":[{"variant_id":"%s","quantity":1}],"address":%s,"shipping_option":"standard",'
      .. '"payment":{"provider":"test","token":"%s"}}', variant, address, token)
  return wrk.format("POST", "/v1/orders", { ["Content-Type"] = "application/json", ["Idempotency-Key"] = key }, body)
end

statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 201 and not first_error then first_error = body end
end

-- Answers by status on stderr, and the first refusal, so that a non-2xx count is explained.
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
    local error = thread:get("first_error")
    if error then io.stderr:write("orders.lua: first refusal: ", error, "\n") end
  end
  local parts = {}
  for status, count in pairs(total) do parts[#parts + 1] = status .. ": " .. count end
  table.sort(parts)
  io.stderr:write("orders.lua: answers by status: ", table.concat(parts, ", "), "\n")
end
