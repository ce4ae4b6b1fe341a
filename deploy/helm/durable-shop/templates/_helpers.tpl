{{/* Names and labels. */}}
{{- define "durable-shop.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "durable-shop.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* (list $ "users") → "<fullname>-users" */}}
{{- define "durable-shop.componentName" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
{{- printf "%s-%s" (include "durable-shop.fullname" $root | trunc (sub 62 (len $component) | int) | trimSuffix "-") $component -}}
{{- end -}}

{{- define "durable-shop.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "durable-shop.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "durable-shop.labels" -}}
{{- $root := index . 0 -}}
{{ include "durable-shop.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: durable-shop
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
{{- with $root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The processes this chart runs, in start order; each is a top-level values key with `enabled`. */}}
{{- define "durable-shop.processNames" -}}
{{- list "users" "products" "orders" "notifications" "worker" "api" | toJson -}}
{{- end -}}

{{/* Fixed facts per process: entry point and the prefix of its *_PORT / *_HOST variables. */}}
{{/* The gateway's /readyz checks every service: as its readiness probe, one service down would take every
gateway pod out of its Service at once. Its pods stay in rotation and answer that service's routes with 503s. */}}
{{- define "durable-shop.processFacts" -}}
api: { main: dist/api/main.js, envPrefix: API, readyPath: /healthz }
worker: { main: dist/workers/main.js, envPrefix: WORKER, readyPath: /readyz }
users: { main: dist/services/users/main.js, envPrefix: USERS, readyPath: /readyz }
products: { main: dist/services/products/main.js, envPrefix: PRODUCTS, readyPath: /readyz }
orders: { main: dist/services/orders/main.js, envPrefix: ORDERS, readyPath: /readyz }
notifications: { main: dist/services/notifications/main.js, envPrefix: NOTIFICATIONS, readyPath: /readyz }
{{- end -}}

{{/* A pinned image reference: (list repository tag digest). */}}
{{- define "durable-shop.pinnedImage" -}}
{{- $repository := index . 0 -}}
{{- $tag := toString (index . 1) -}}
{{- $digest := index . 2 -}}
{{- if or (eq $tag "") (eq $tag "latest") -}}
{{- fail (printf "image %s needs a pinned tag (not empty, not latest)" $repository) -}}
{{- end -}}
{{- if $digest -}}
{{- printf "%s:%s@%s" $repository $tag $digest -}}
{{- else -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "durable-shop.image" -}}
{{- include "durable-shop.pinnedImage" (list .Values.image.repository (default .Chart.AppVersion .Values.image.tag) .Values.image.digest) -}}
{{- end -}}

{{- define "durable-shop.secretName" -}}
{{- default (include "durable-shop.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* The env entry for one Secret key: (list $ KEY). */}}
{{- define "durable-shop.secretEnv" -}}
{{- $root := index . 0 -}}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "durable-shop.secretName" $root }}
      key: {{ index . 1 }}
{{- end -}}

{{/* An optional Secret key: (list $ KEY value). Read when the chart stores the value or an existing Secret may hold it. */}}
{{- define "durable-shop.optionalSecretEnv" -}}
{{- $root := index . 0 -}}
{{- if or $root.Values.secrets.existingSecret (index . 2) }}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "durable-shop.secretName" $root }}
      key: {{ index . 1 }}
      optional: true
{{- end }}
{{- end -}}

{{/* Temporal client settings, named as Temporal's environment configuration (also read by the `temporal` CLI). */}}
{{- define "durable-shop.temporalEnv" -}}
{{- $t := .Values.temporal -}}
- name: TEMPORAL_ADDRESS
  value: {{ $t.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ $t.namespace | quote }}
{{- if $t.tls.enabled }}
- name: TEMPORAL_TLS
  value: "true"
{{- if $t.tls.existingSecret }}
- name: TEMPORAL_TLS_CLIENT_CERT_PATH
  value: /etc/temporal-tls/tls.crt
- name: TEMPORAL_TLS_CLIENT_KEY_PATH
  value: /etc/temporal-tls/tls.key
{{- if $t.tls.serverCA }}
- name: TEMPORAL_TLS_SERVER_CA_CERT_PATH
  value: /etc/temporal-tls/ca.crt
{{- end }}
{{- end }}
{{- with $t.tls.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- include "durable-shop.optionalSecretEnv" (list . "TEMPORAL_API_KEY" $t.apiKey) }}
{{- end -}}

{{- define "durable-shop.temporalTlsVolume" -}}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.tls.existingSecret }}
{{- end }}
{{- end -}}

{{- define "durable-shop.temporalTlsMount" -}}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  mountPath: /etc/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}

{{/* In-cluster URLs of the services, for the gateway, the worker and the consumers. */}}
{{- define "durable-shop.serviceUrlEnv" -}}
{{- range $name := list "users" "products" "orders" }}
- name: {{ upper $name }}_URL
  value: {{ printf "http://%s:%v" (include "durable-shop.componentName" (list $ $name)) (index $.Values $name).port | quote }}
{{- end }}
{{- end -}}

{{- define "durable-shop.podSecurity" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The saga's custom search attributes (contracts/order-saga.ts SearchAttributeKeys), as Name=Type. */}}
{{- define "durable-shop.searchAttributes" -}}
OrderStatus=Keyword CustomerId=Keyword
{{- end -}}
