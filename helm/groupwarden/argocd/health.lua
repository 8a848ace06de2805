-- Argo CD health of the groupwarden.io kinds (ConsumerGroupPolicy, MongoSink, LagMonitor), from the
-- conditions the operator writes; register this one script under each of the three kinds.
-- A status not yet written for this generation is Progressing; Ready=False is Degraded (for a
-- MongoSink, except while its workers start, which is Progressing). Beyond Ready: a policy with
-- SLOCompliant or NoStuckPartitions False is Degraded, as is a LagMonitor with a source it cannot
-- read or a source whose lag is above the unhealthy threshold.
local kinds = {
  ConsumerGroupPolicy = {waiting = "the operator's first evaluation", done = "evaluated"},
  MongoSink = {waiting = "the operator to create the workers", done = "applied",
               starting = "WorkersStarting"},
  LagMonitor = {waiting = "the operator's first check", done = "checked"},
}
local kind = kinds[obj.kind] or {waiting = "the operator", done = "seen"}
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
  hs.message = "waiting for " .. kind.waiting
  return hs
end
if obj.metadata.generation ~= nil and status.observedGeneration ~= nil
    and status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "the operator has not " .. kind.done .. " generation " .. obj.metadata.generation
      .. " yet"
  return hs
end
if ready.status == "False" and ready.reason ~= kind.starting then
  hs.status = "Degraded"
  hs.message = text(ready)
  return hs
end
if ready.status ~= "True" then
  hs.status = "Progressing"
  hs.message = text(ready)
  return hs
end
if obj.kind == "ConsumerGroupPolicy" then
  for _, type in ipairs({"SLOCompliant", "NoStuckPartitions"}) do
    local c = condition(status, type)
    if c ~= nil and c.status == "False" then
      hs.status = "Degraded"
      hs.message = type .. " is False: " .. text(c)
      return hs
    end
  end
elseif obj.kind == "LagMonitor" then
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
end
hs.status = "Healthy"
hs.message = text(ready)
return hs
