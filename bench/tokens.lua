-- wrk script: asks the test payment provider for card tokens and saves them, one file per
-- wrk thread (`<prefix>.<thread>`), for orders.lua to spend. Usage: wrk ... -s tokens.lua URL -- PREFIX
wrk.method = "POST"
wrk.path = "/v1/payments/test/tokens"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"number":"4242424242424242","exp_month":12,"exp_year":2040,"cvc":"123"}'

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

local out
function init(args)
  out = io.open(args[1] .. "." .. thread_id, "w")
  out:setvbuf("line")
end

function response(status, headers, body)
  local token = body:match('"token":"([^"]+)"')
  if token then out:write(token, "\n") end
end
