-- Argo CD health check for switchboard.dev ExpertModel and RoutingPolicy (same script for both kinds).
-- Healthy: the operator has observed the latest spec and Ready=True. Degraded: Degraded=True.
-- Progressing otherwise. Installed through argocd-cm, see docs/operations.md#argo-cd.
hs = {}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"; hs.message = "Waiting for the Switchboard operator"; return hs
end
if obj.status.observedGeneration == nil or obj.status.observedGeneration < (obj.metadata.generation or 0) then
  hs.status = "Progressing"; hs.message = "The operator has not observed the latest spec yet"; return hs
end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Degraded" and c.status == "True" then
    hs.status = "Degraded"; hs.message = c.message or c.reason; return hs
  end
end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    if c.status == "True" then hs.status = "Healthy" else hs.status = "Progressing" end
    hs.message = c.message or c.reason; return hs
  end
end
hs.status = "Progressing"; hs.message = "No Ready condition yet"; return hs
