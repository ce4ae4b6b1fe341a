{{/* Every environment variable of one process: (list $ name). Keys follow each process's config schema. */}}
{{- define "durable-shop.processEnv" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- $values := index $root.Values $name -}}
{{- $facts := index (include "durable-shop.processFacts" $root | fromYaml) $name -}}
{{- $s := $root.Values.secrets -}}
- name: {{ $facts.envPrefix }}_HOST
  value: 0.0.0.0
- name: {{ $facts.envPrefix }}_PORT
  value: {{ $values.port | quote }}
- name: LOG_LEVEL
  value: {{ $root.Values.logLevel | quote }}
{{- with $root.Values.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{ include "durable-shop.secretEnv" (list $root "SERVICE_TOKEN") }}
{{- if has $name (list "api" "worker") }}
{{ include "durable-shop.temporalEnv" $root }}
{{ include "durable-shop.secretEnv" (list $root "PAYLOAD_KEYS") }}
{{- include "durable-shop.optionalSecretEnv" (list $root "PAYLOAD_KEY_ID" $s.payloadKeyId) }}
- name: TEMPORAL_TASK_QUEUE
  value: {{ $root.Values.temporal.taskQueue | quote }}
{{- include "durable-shop.serviceUrlEnv" $root }}
{{- end }}
{{- if eq $name "api" }}
- name: TRUST_PROXY
  value: {{ $values.trustProxy | quote }}
{{- include "durable-shop.optionalSecretEnv" (list $root "REDIS_URL" $root.Values.redis.url) }}
{{ include "durable-shop.secretEnv" (list $root "AMQP_URL") }}
- name: NOTIFICATIONS_URL
  value: {{ printf "http://%s:%v" (include "durable-shop.componentName" (list $root "notifications")) $root.Values.notifications.port | quote }}
- name: TEMPORAL_UI_URL
  value: {{ $values.temporalUiUrl | quote }}
{{- else if eq $name "worker" }}
{{ include "durable-shop.secretEnv" (list $root "AMQP_URL") }}
- name: WORKFLOW_BUNDLE_PATH
  value: /app/dist/workflow-bundle.js
- name: WORKER_MAX_CONCURRENT_ACTIVITIES
  value: {{ $values.maxConcurrentActivities | quote }}
- name: WORKER_MAX_CONCURRENT_WORKFLOW_TASKS
  value: {{ $values.maxConcurrentWorkflowTasks | quote }}
{{- if gt (int $values.sdkMetricsPort) 0 }}
- name: TEMPORAL_METRICS_PORT
  value: {{ $values.sdkMetricsPort | quote }}
{{- end }}
{{- else if eq $name "users" }}
{{ include "durable-shop.secretEnv" (list $root "USERS_DATABASE_URL") }}
{{ include "durable-shop.secretEnv" (list $root "JWT_PRIVATE_KEYS") }}
{{- include "durable-shop.optionalSecretEnv" (list $root "ADMIN_EMAIL" $s.adminEmail) }}
{{- include "durable-shop.optionalSecretEnv" (list $root "ADMIN_PASSWORD" $s.adminPassword) }}
- name: DATA_DIR
  value: /tmp/data
{{- else if eq $name "products" }}
{{ include "durable-shop.secretEnv" (list $root "MONGO_URL") }}
- name: PRODUCTS_DB
  value: {{ $root.Values.mongodb.database | quote }}
- name: SEED_DEMO_CATALOG
  value: {{ $values.seedDemoCatalog | quote }}
{{- else if eq $name "orders" }}
{{ include "durable-shop.secretEnv" (list $root "ORDERS_DATABASE_URL") }}
{{ include "durable-shop.secretEnv" (list $root "AMQP_URL") }}
{{- else if eq $name "notifications" }}
{{ include "durable-shop.secretEnv" (list $root "NOTIFICATIONS_DATABASE_URL") }}
{{ include "durable-shop.secretEnv" (list $root "AMQP_URL") }}
{{- end }}
{{- range $key, $value := $values.env }}
- name: {{ $key }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}
