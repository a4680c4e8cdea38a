{{/*
The trust policy (values trust.*, docs/security.md) as the operator's environment and as CEL for the
ValidatingAdmissionPolicies in admission-policy.yaml. The operator's Java rules (operator/.../trust) and this CEL
must say the same thing; TrustAdmissionPolicyTest (packaging-tests) and TrustBoundaryTest (operator) check both.
*/}}

{{- define "switchboard.trustEnv" -}}
{{- $t := .Values.trust -}}
- name: SWITCHBOARD_OPERATOR_TRUST_ENGINE_IMAGES
  value: {{ join "," $t.images.engine | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_ROUTER_IMAGES
  value: {{ join "," $t.images.router | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_PRIORITY_CLASSES
  value: {{ join "," $t.scheduling.priorityClasses | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_RUNTIME_CLASSES
  value: {{ join "," $t.scheduling.runtimeClasses | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_TOLERATION_KEYS
  value: {{ join "," $t.scheduling.tolerationKeys | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_ALLOW_AFFINITY
  value: {{ $t.scheduling.allowAffinity | toString | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_ALLOW_ENGINE_ENV
  value: {{ $t.engine.allowEnv | toString | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_ALLOW_TRUST_REMOTE_CODE
  value: {{ $t.engine.allowTrustRemoteCode | toString | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_ENDPOINTS_ALLOWED_HOSTS
  value: {{ join "," $t.endpoints.allowedHosts | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_ENDPOINTS_ALLOWED_CIDRS
  value: {{ join "," $t.endpoints.allowedCIDRs | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_ENDPOINTS_DENIED_CIDRS
  value: {{ join "," $t.endpoints.deniedCIDRs | quote }}
- name: SWITCHBOARD_OPERATOR_TRUST_ENDPOINTS_PLAIN_HTTP
  value: {{ join "," $t.endpoints.plainHttp | quote }}
{{- end }}

{{/* A list value as a CEL list literal of strings (JSON is valid CEL here). */}}
{{- define "switchboard.celList" -}}
{{- toJson (default (list) .) }}
{{- end }}

{{/*
CEL variables shared by both policies: the admin's endpoint rules. The including policy defines `url` (the URL to
check, '' when there is none) and `sendsKey` (an API key is sent to it) before these.
*/}}
{{- define "switchboard.endpointVariables" -}}
{{- $e := .Values.trust.endpoints -}}
- name: allowedHosts
  expression: {{ include "switchboard.celList" $e.allowedHosts | quote }}
- name: allowedCIDRs
  expression: {{ include "switchboard.celList" $e.allowedCIDRs | quote }}
{{- $denied := concat (list "0.0.0.0/8" "100.100.100.200/32" "fd00:ec2::254/128") (default (list) $e.deniedCIDRs) }}
- name: deniedCIDRs
  expression: {{ include "switchboard.celList" $denied | quote }}
- name: plainHttp
  expression: {{ include "switchboard.celList" $e.plainHttp | quote }}
- name: apiServerNames
  expression: '["kubernetes", "kubernetes.default", "kubernetes.default.svc"]'
- name: deniedNames
  expression: '["localhost", "*.localhost", "metadata", "metadata.google.internal"]'
- name: validUrl
  expression: "variables.url == '' || isURL(variables.url)"
- name: host
  expression: >-
    variables.url == '' || !isURL(variables.url) ? '' :
    url(variables.url).getHostname().lowerAscii().endsWith('.')
      ? url(variables.url).getHostname().lowerAscii().substring(0, size(url(variables.url).getHostname()) - 1)
      : url(variables.url).getHostname().lowerAscii()
- name: hostIsIP
  expression: "variables.host != '' && isIP(variables.host)"
- name: userInfo
  expression: >-
    variables.url != '' && variables.url.split('/').size() > 2 && variables.url.split('/')[2].contains('@')
- name: hostProblem
  expression: >-
    variables.url == '' ? '' :
    !variables.validUrl ? 'is not a URL' :
    variables.userInfo ? 'has user info (user@host), which is not allowed in endpoint URLs' :
    variables.hostIsIP ? (
      variables.allowedCIDRs.exists(c, cidr(c).containsIP(variables.host)) ? '' :
      size(variables.allowedCIDRs) > 0
        ? 'address ' + variables.host + ' is not in trust.endpoints.allowedCIDRs' :
      !ip(variables.host).isGlobalUnicast()
        ? 'address ' + variables.host + ' is a loopback, link-local, multicast or unspecified address'
          + ' (denied unless listed in trust.endpoints.allowedCIDRs)' :
      variables.deniedCIDRs.exists(c, cidr(c).containsIP(variables.host))
        ? 'address ' + variables.host + ' is reserved, a cloud metadata address or in trust.endpoints.deniedCIDRs'
          + ' (denied unless listed in trust.endpoints.allowedCIDRs)' : ''
    ) : (
      !variables.host.matches({{ include "switchboard.hostNamePattern" . | quote }})
        ? 'host ' + variables.host + ' is neither a DNS name nor an IP address' :
      variables.host in variables.apiServerNames || variables.host.startsWith('kubernetes.default.svc.')
        ? 'host ' + variables.host + ' is the cluster API server, which is never allowed' :
      variables.allowedHosts.exists(p,
          p.startsWith('*.') ? variables.host.endsWith(p.substring(1)) : p == variables.host) ? '' :
      size(variables.allowedHosts) > 0
        ? 'host ' + variables.host + ' is not in trust.endpoints.allowedHosts' :
      variables.deniedNames.exists(p,
          p.startsWith('*.') ? variables.host.endsWith(p.substring(1)) : p == variables.host)
        ? 'host ' + variables.host + ' is a local or cloud metadata name'
          + ' (denied unless listed in trust.endpoints.allowedHosts)' : ''
    )
- name: plainHttpProblem
  expression: >-
    variables.hostProblem != '' || variables.url == '' || !variables.sendsKey
      || url(variables.url).getScheme() != 'http' ? '' :
    (variables.hostIsIP
      ? variables.plainHttp.exists(p, p.contains('/') && cidr(p).containsIP(variables.host))
      : variables.plainHttp.exists(p, !p.contains('/')
          && (p.startsWith('*.') ? variables.host.endsWith(p.substring(1)) : p == variables.host)))
      ? '' : 'an API key is sent only over https; host ' + variables.host + ' is not in trust.endpoints.plainHttp'
{{- end }}

{{/* DNS names an endpoint may name: the operator's HostName.PATTERN. */}}
{{- define "switchboard.hostNamePattern" -}}
^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z]([-a-z0-9]*[a-z0-9])?$
{{- end }}

{{/* Whether the cluster serves what the policies need: admissionregistration.k8s.io/v1 policies and CEL's ip/cidr. */}}
{{- define "switchboard.admissionPolicySupported" -}}
{{- $served := semverCompare ">=1.31.0-0" .Capabilities.KubeVersion.Version }}
{{- if and .Values.trust.admissionPolicy.enabled $served }}true{{ end }}
{{- end }}

{{- define "switchboard.admissionBindingMatch" -}}
{{- if .Values.watchNamespaces }}
matchResources:
  namespaceSelector:
    matchExpressions:
      - key: kubernetes.io/metadata.name
        operator: In
        values: {{ toJson .Values.watchNamespaces }}
{{- else if .Values.trust.admissionPolicy.namespaceSelector }}
matchResources:
  namespaceSelector:
    {{- toYaml .Values.trust.admissionPolicy.namespaceSelector | nindent 4 }}
{{- end }}
{{- end }}
