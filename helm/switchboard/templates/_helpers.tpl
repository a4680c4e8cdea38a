{{/*
Names, labels and the operator's environment. The operator's configuration keys live here only, so a rename
in the operator is a one-line change.
*/}}

{{- define "switchboard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "switchboard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "switchboard.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "switchboard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: switchboard
{{- end }}

{{- define "switchboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "switchboard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "switchboard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "switchboard.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create=false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "switchboard.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "switchboard.leaseName" -}}
{{- default (printf "%s-leader" (include "switchboard.fullname" .)) .Values.leaderElection.leaseName }}
{{- end }}

{{/* imagePullSecrets accepts plain names or {name: ...} objects. */}}
{{- define "switchboard.imagePullSecrets" -}}
{{- range .Values.imagePullSecrets }}
{{- if kindIs "string" . }}
- name: {{ . }}
{{- else }}
- name: {{ .name }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Operator environment: SWITCHBOARD_OPERATOR_* map to the operator's switchboard.operator.* properties
(operator/src/main/resources/application.properties). QUARKUS_OPERATOR_SDK_NAMESPACES is quarkus-operator-sdk's
watched-namespaces list; left unset it means all namespaces.
*/}}
{{- define "switchboard.env" -}}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- with .Values.watchNamespaces }}
- name: QUARKUS_OPERATOR_SDK_NAMESPACES
  value: {{ join "," . | quote }}
{{- end }}
{{- if .Values.leaderElection.enabled }}
- name: SWITCHBOARD_OPERATOR_LEASE_NAME
  value: {{ include "switchboard.leaseName" . | quote }}
- name: SWITCHBOARD_OPERATOR_LEASE_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end }}
- name: SWITCHBOARD_OPERATOR_VLLM_IMAGE
  value: {{ .Values.defaults.vllmImage | quote }}
- name: SWITCHBOARD_OPERATOR_ROUTER_IMAGE
  value: {{ .Values.defaults.routerImage | quote }}
- name: SWITCHBOARD_OPERATOR_IMAGE_PULL_POLICY
  value: {{ .Values.defaults.imagePullPolicy | quote }}
- name: SWITCHBOARD_OPERATOR_STARTUP_PROBE_BUDGET
  value: {{ .Values.defaults.startupProbeBudget | quote }}
- name: SWITCHBOARD_OPERATOR_EXTERNAL_PROBE_INTERVAL
  value: {{ .Values.defaults.externalProbeInterval | quote }}
- name: SWITCHBOARD_OPERATOR_EXTERNAL_PROBE_TIMEOUT
  value: {{ .Values.defaults.externalProbeTimeout | quote }}
- name: SWITCHBOARD_OPERATOR_SERVICE_MONITORS
  value: {{ .Values.defaults.serviceMonitors | toString | quote }}
- name: SWITCHBOARD_OPERATOR_ROUTER_AUTH_MODE
  value: {{ .Values.defaults.routerAuth | quote }}
- name: SWITCHBOARD_OPERATOR_ROUTER_API_KEYS_SECRET
  value: {{ .Values.defaults.routerApiKeysSecret | quote }}
{{- with .Values.defaults.routerTracing }}
- name: SWITCHBOARD_OPERATOR_ROUTER_TRACING_ENDPOINT
  value: {{ .endpoint | quote }}
- name: SWITCHBOARD_OPERATOR_ROUTER_TRACING_PROTOCOL
  value: {{ .protocol | quote }}
- name: SWITCHBOARD_OPERATOR_ROUTER_TRACING_SAMPLE_RATIO
  value: {{ .sampleRatio | toString | quote }}
{{- end }}
- name: SWITCHBOARD_OPERATOR_EXPERT_API_KEYS_ENABLED
  value: {{ .Values.expertApiKeys.enabled | toString | quote }}
- name: SWITCHBOARD_OPERATOR_EXPERT_API_KEYS_SECRET_NAME
  value: {{ .Values.expertApiKeys.secretName | quote }}
{{- include "switchboard.trustEnv" . | nindent 0 }}
- name: QUARKUS_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
What the operator may do on the namespaced objects it manages: exactly what its reconcilers call (kept equal
to operator/src/main/kubernetes/clusterrole.yaml, which the operator's own tests run under; a packaging test
compares the two; each permission and why: docs/security.md#the-operators-permissions). Server-side apply is a
PATCH that may create, hence create+patch on owned kinds. The endpointslices/configmaps reads are granted onward to
each router's Role: RBAC only lets a subject grant what it holds, so no escalate/bind verbs are needed, and a
router Role can never grant more than this. No Secret is readable: a Secret's owner grants get on it, by name, to
this ServiceAccount (docs/security.md#secrets); only such Secrets reach expert pods and router Roles.
*/}}
{{- define "switchboard.operatorRules" -}}
- apiGroups: ["switchboard.dev"]
  resources: ["expertmodels", "routingpolicies"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["switchboard.dev"]
  resources: ["expertmodels/status", "routingpolicies/status"]
  verbs: ["get", "patch"]
- apiGroups: ["switchboard.dev"]
  resources: ["expertmodels/scale"]
  verbs: ["get", "update"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["persistentvolumeclaims", "serviceaccounts"]
  verbs: ["get", "create", "patch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "create", "patch", "delete"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["get", "create", "patch"]
{{- if ne (toString .Values.defaults.serviceMonitors) "false" }}
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors"]
  verbs: ["get", "create", "patch"]
{{- end }}
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["", "events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
