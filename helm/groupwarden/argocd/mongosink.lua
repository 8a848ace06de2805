-- Argo CD health of a groupwarden.io MongoSink, from the conditions the operator writes.
-- Ready=False is Degraded, except while workers are starting or the sink is scaling, which is
-- Progressing; a status not yet written for this generation is Progressing.
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
  hs.message = "waiting for the operator to create the workers"
  return hs
end
if obj.metadata.generation ~= nil and status.observedGeneration ~= nil
    and status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "the operator has not applied generation " .. obj.metadata.generation .. " yet"
  return hs
end
if ready.status == "False" and ready.reason ~= "WorkersStarting" then
  hs.status = "Degraded"
  hs.message = text(ready)
  return hs
end
if ready.status ~= "True" then
  hs.status = "Progressing"
  hs.message = text(ready)
  return hs
end
hs.status = "Healthy"
hs.message = text(ready)
return hs
