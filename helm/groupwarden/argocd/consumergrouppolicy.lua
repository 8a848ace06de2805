-- Argo CD health of a groupwarden.io ConsumerGroupPolicy, from the conditions the operator writes.
-- Ready=False (invalid spec, unreachable cluster, missing group) and an SLO or stuck partition
-- problem are Degraded; a status not yet written for this generation is Progressing.
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
  hs.message = "waiting for the operator's first evaluation"
  return hs
end
if obj.metadata.generation ~= nil and status.observedGeneration ~= nil
    and status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "the operator has not evaluated generation " .. obj.metadata.generation .. " yet"
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
for _, type in ipairs({"SLOCompliant", "NoStuckPartitions"}) do
  local c = condition(status, type)
  if c ~= nil and c.status == "False" then
    hs.status = "Degraded"
    hs.message = type .. " is False: " .. text(c)
    return hs
  end
end
hs.status = "Healthy"
hs.message = text(ready)
return hs
