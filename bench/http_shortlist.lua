-- wrk script: GET /v1/openings/{id}/shortlist?k=20 on random open openings, as the admin key
-- written by bench_http_seed. Usage (see bench/README.md, "HTTP"):
--   BENCH_OUT=/tmp/cm-bench wrk -t2 -c16 -d30s --latency -s bench/http_shortlist.lua http://127.0.0.1:8080
local out = os.getenv("BENCH_OUT") or "."
local token = io.open(out .. "/token"):read("*l")
local openings = dofile(out .. "/openings.lua")
local k = os.getenv("BENCH_K") or "20"
request = function()
  local opening = openings[math.random(#openings)]
  return wrk.format("GET", "/v1/openings/" .. opening .. "/shortlist?k=" .. k,
                    {["Authorization"] = "Bearer " .. token})
end
