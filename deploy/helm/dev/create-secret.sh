#!/usr/bin/env sh
# Creates the Secret `durable-shop-dev` for a local cluster: random passwords for the dev backing services,
# the URLs that carry them, a service token, an Ed25519 signing key and an admin account. Nothing well-known.
# Usage: deploy/helm/dev/create-secret.sh NAMESPACE
set -eu
namespace="${1:?usage: create-secret.sh NAMESPACE}"
random() { node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("hex"))'; }
pg="$(random)"; mongo="$(random)"; rabbit="$(random)"; redis="$(random)"; admin="$(random)"
jwk="$(node -e '
const { generateKeyPairSync, randomUUID } = require("node:crypto");
const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
process.stdout.write(JSON.stringify([{ ...jwk, kid: randomUUID() }]));')"
kubectl -n "$namespace" create secret generic durable-shop-dev --dry-run=client -o yaml \
  --from-literal=POSTGRES_PASSWORD="$pg" \
  --from-literal=MONGO_PASSWORD="$mongo" \
  --from-literal=RABBITMQ_PASSWORD="$rabbit" \
  --from-literal=REDIS_PASSWORD="$redis" \
  --from-literal=SERVICE_TOKEN="$(random)" \
  --from-literal=JWT_PRIVATE_KEYS="$jwk" \
  --from-literal=USERS_DATABASE_URL="postgres://postgres:$pg@postgresql:5432/shop_users" \
  --from-literal=ORDERS_DATABASE_URL="postgres://postgres:$pg@postgresql:5432/shop_orders" \
  --from-literal=NOTIFICATIONS_DATABASE_URL="postgres://postgres:$pg@postgresql:5432/shop_notifications" \
  --from-literal=MONGO_URL="mongodb://root:$mongo@mongodb:27017/?authSource=admin" \
  --from-literal=AMQP_URL="amqp://shop:$rabbit@rabbitmq:5672/" \
  --from-literal=REDIS_URL="redis://:$redis@redis:6379/0" \
  --from-literal=ADMIN_EMAIL="admin@shop.test" \
  --from-literal=ADMIN_PASSWORD="$admin" | kubectl apply -f -
echo "admin@shop.test / $admin"
