-- wrk script: MATCH_PERCENT of requests carry "X-User: alice" (the filter matches them), the
-- rest carry "X-User: bob". Deterministic interleaving so every run offers the same mix.
local pct = tonumber(os.getenv("MATCH_PERCENT") or "0")
local n = 0
request = function()
  n = n + 1
  local user = ((n % 100) < pct) and "alice" or "bob"
  return wrk.format("GET", "/r" .. n, { ["X-User"] = user })
end
