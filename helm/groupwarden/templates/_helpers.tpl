{{- define "groupwarden.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "groupwarden.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "groupwarden.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "groupwarden.tokenSecret" -}}
{{- default (printf "%s-api-token" (include "groupwarden.fullname" .)) .Values.apiToken.existingSecret -}}
{{- end -}}

{{/* The operator's permissions, shared by the ClusterRole and the per-namespace Roles. */}}
{{- define "groupwarden.rules" -}}
# Its own resources: watch them, add and remove its finalizer, write their status.
- apiGroups: [groupwarden.io]
  resources: [consumergrouppolicies, mongosinks, lagmonitors]
  verbs: [get, list, watch, patch, update]
- apiGroups: [groupwarden.io]
  resources: [consumergrouppolicies/status, mongosinks/status, lagmonitors/status]
  verbs: [get, patch, update]
# A ConsumerGroupPolicy may autoscale a MongoSink through its scale subresource.
- apiGroups: [groupwarden.io]
  resources: [mongosinks/scale]
  verbs: [get, patch, update]
# Events about its resources; get/update to raise the count of a repeated event; list to show
# the recent ones on the dashboard's group page (from any replica).
- apiGroups: [""]
  resources: [events]
  verbs: [create, get, list, update, patch]
# Credentials referenced by name in the resources (SASL, TLS, Redis URIs); only read, never listed.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
# The managed coordinator (ConfigMap, Services, StatefulSet) and the MongoSink workers
# (Service, StatefulSet): the operator creates and owns them and watches them by label.
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [apps]
  resources: [statefulsets]
  verbs: [get, list, watch, create, update, patch, delete]
# Autoscaling of a ConsumerGroupPolicy's target through the scale subresource only.
- apiGroups: [apps]
  resources: [deployments/scale, statefulsets/scale]
  verbs: [get, patch, update]
{{- end -}}
