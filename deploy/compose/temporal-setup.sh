#!/bin/sh
# Waits for Temporal, creates the namespace and registers the saga's search attributes (idempotent).
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health >/dev/null 2>&1; do echo 'waiting for Temporal'; sleep 2; done
temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$ns" --retention 72h
# A new namespace reaches every part of the server after a cache refresh (seconds).
until temporal operator search-attribute list --namespace "$ns" >/dev/null 2>&1; do sleep 1; done
for name in OrderStatus CustomerId; do
  temporal operator search-attribute list --namespace "$ns" | grep -qw "$name" ||
    temporal operator search-attribute create --namespace "$ns" --name "$name" --type Keyword
done
echo "namespace $ns ready"
