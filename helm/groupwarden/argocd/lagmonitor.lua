-- Argo CD health of a groupwarden.io LagMonitor, from the conditions the operator writes.
-- Ready=False (invalid spec) or a source it cannot read is Degraded, as is a source whose lag is
-- above the unhealthy threshold; a status not yet written for this generation is Progressing.
local hs = {}
local function condition(status, type)
  if status == nil or status.conditions == nil then return nil end
  for _, c in ipairs(status.conditions) do
    if c.type == type then return c end
  end
  return nil
end
local function text(c)
  if c.message ~= nil and c.message ~= "" then return c.reason .. ": " .. c.message end
  return c.reason or c.type
end
local status = obj.status
local ready = condition(status, "Ready")
if ready == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the operator's first check"
  return hs
end
if obj.metadata.generation ~= nil and status.observedGeneration ~= nil
    and status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "the operator has not checked generation " .. obj.metadata.generation .. " yet"
  return hs
end
if ready.status == "False" then
  hs.status = "Degraded"
  hs.message = text(ready)
  return hs
end
if ready.status ~= "True" then
  hs.status = "Progressing"
  hs.message = text(ready)
  return hs
end
local reachable = condition(status, "SourcesReachable")
if reachable ~= nil and reachable.status == "False" then
  hs.status = "Degraded"
  hs.message = text(reachable)
  return hs
end
if status.health == "unhealthy" then
  hs.status = "Degraded"
  hs.message = (status.unhealthy or 0) .. " source(s) above the unhealthy lag threshold"
  return hs
end
hs.status = "Healthy"
hs.message = text(ready)
return hs
