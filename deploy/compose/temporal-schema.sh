#!/bin/sh
# Creates Temporal's two databases and applies its schema, as temporalio/auto-setup did (idempotent).
set -eu
sql() { temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u postgres "$@"; }
for db in temporal temporal_visibility; do
  dir=temporal; [ "$db" = temporal_visibility ] && dir=visibility
  sql --db "$db" create-database || true # fails when it exists (later starts)
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "/etc/temporal/schema/postgresql/v12/$dir/versioned"
done
echo 'Temporal schema ready'
