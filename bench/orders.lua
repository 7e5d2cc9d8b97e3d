-- wrk script: places orders of one unit of a variant, each with a fresh Idempotency-Key and a
-- token saved by tokens.lua (same number of threads). Usage:
--   wrk ... -s orders.lua URL -- TOKEN_PREFIX VARIANT_ID RUN_ID
-- A thread that runs out of tokens sends "exhausted", which wrk counts as non-2xx answers.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
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
