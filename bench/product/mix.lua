-- wrk script: MATCH_PERCENT of requests carry "x-mirror: me" (the steal filter and HAProxy's rule
-- match them), the rest "x-mirror: other". Deterministic interleaving: every run offers the same mix.
local pct = tonumber(os.getenv("MATCH_PERCENT") or "0")
local n = 0
request = function()
  n = n + 1
  local who = ((n % 100) < pct) and "me" or "other"
  return wrk.format("GET", "/r" .. n, { ["x-mirror"] = who })
end
