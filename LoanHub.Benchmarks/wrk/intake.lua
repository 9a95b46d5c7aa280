-- wrk script: posts distinct, valid applicants to the intake API (one new person per request).
--   wrk -t2 -c128 -d20s -s LoanHub.Benchmarks/wrk/intake.lua http://127.0.0.1:5055
local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local checks = "10X98765432"
local counter = 0
local prefix = ""

function setup(thread)
  thread:set("thread_prefix", tostring(math.random(100, 999)))
end

function init(args)
  prefix = thread_prefix or tostring(math.random(100, 999))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Api-Key"] = "example-source-ADS-0f3a9c2e"
end

local function national_id(n)
  local day = n % 28 + 1
  local month = math.floor(n / 28) % 12 + 1
  local year = 1970 + math.floor(n / 336) % 30
  local seq = math.floor(n / 10080) % 1000
  local first17 = string.format("440106%04d%02d%02d%03d", year, month, day, seq)
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(first17:sub(i, i)) * weights[i] end
  local c = (sum % 11) + 1
  return first17 .. checks:sub(c, c)
end

function request()
  counter = counter + 1
  local n = tonumber(prefix) * 1000000 + counter
  local body = string.format('{"externalRef":"W-%d","fullName":"陈静","nationalId":"%s","phone":"136%08d","provinceCode":"31",' ..
    '"monthlyIncome":9000,"employment":"Salaried","requestedAmount":12000,"termMonths":12,"purpose":"Consumption",' ..
    '"deviceId":"wrk-%d","ipAddress":"10.%d.%d.%d","bureauScore":700,' ..
    '"consent":{"creditCheck":true,"shareWithLenders":true,"marketing":false,"text":"我同意"}}',
    n, national_id(n), n % 100000000, n, math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  return wrk.format(nil, "/api/v1/applications", nil, body)
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx responses: %d (of %d)\n", summary.errors.status, summary.requests))
end
