#!/usr/bin/env bash
# Validates the deployment files without a Docker engine or a cluster (issue 6):
#   1. docker-compose.yml (alone, and with docker-compose.cloud.yml) with a real parser: Debian's docker-compose v1;
#   2. the Dockerfile, the compose files and their merged form with .ci/deploy-validate (dockerfile-utils, the
#      compose-spec JSON schema);
#   3. every Kustomize overlay (and the base) rendered with `kubectl kustomize`, plus the Strimzi Connect files (the
#      strimzi-connect component rendered alone through deploy/connect/taskwatch-source, which no overlay includes,
#      and the Iceberg sink recipe of deploy/connect), every object checked against the Kubernetes schemas
#      (kubernetes-models + @kubernetes/client-node types; Strimzi KafkaTopic, KafkaConnect and KafkaConnector schemas
#      under .ci/deploy-validate/schemas). Not checked here: the free-form `config` maps of KafkaConnect/KafkaConnector
#      (worker and connector properties); ConnectorDeploymentTest and DataLakeRecipeTest check the connector configs;
#   4. the Prometheus alert rules (deploy/monitoring/alert-rules.yaml) with `promtool check rules` (Debian's
#      prometheus package); the PrometheusRule of the Operator component holds the same groups (a unit test).
# Fails on the first broken step. Runs as root on Debian in CI (installs what is missing); needs no network but the
# package registries.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=false
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ "$apt_updated" = false ]; then apt-get update -qq; apt_updated=true; fi
  apt-get install -y -qq "$@" >/dev/null
}

command -v docker-compose >/dev/null 2>&1 || { echo "validate-deploy: installing docker-compose (Debian)"; apt_install docker-compose; }
command -v node >/dev/null 2>&1 || { echo "validate-deploy: installing nodejs and npm (Debian)"; apt_install nodejs npm; }
if ! command -v kubectl >/dev/null 2>&1; then
  # Debian's kubectl (kubernetes-client) is old: its embedded kustomize may not know components/labels/replicas, in
  # which case rendering below fails loudly rather than passing.
  echo "validate-deploy: kubectl missing, installing Debian's kubernetes-client"
  apt_install kubernetes-client
fi

# promtool comes with Debian's prometheus package (the server is installed too but not started here).
command -v promtool >/dev/null 2>&1 || { echo "validate-deploy: installing prometheus (Debian) for promtool"; apt_install prometheus; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== docker-compose $(docker-compose version --short 2>/dev/null || true): config -q"
docker-compose -f docker-compose.yml config -q
docker-compose -f docker-compose.yml config > "$work/compose-merged.yml"
# The cloud override needs its variables; .env.example holds placeholders (the real .env is git-ignored).
docker-compose --env-file .env.example -f docker-compose.yml -f docker-compose.cloud.yml config -q
docker-compose --env-file .env.example -f docker-compose.yml -f docker-compose.cloud.yml config > "$work/compose-cloud-merged.yml"
# The `connect` profile's services only appear in the merged file with the profile active.
docker-compose --profile connect -f docker-compose.yml config > "$work/compose-connect-merged.yml"

echo "== kubectl kustomize"
rendered=()
for dir in deploy/base deploy/overlays/*/ deploy/connect/taskwatch-source; do
  dir="${dir%/}"
  out="$work/$(echo "$dir" | tr '/' '_').yaml"
  kubectl kustomize "$dir" > "$out"
  echo "   $dir: $(grep -c '^kind:' "$out") objects"
  rendered+=("$out")
done

echo "== schema validation (.ci/deploy-validate)"
(cd .ci/deploy-validate && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node .ci/deploy-validate/validate.mjs \
  --dockerfile Dockerfile \
  --compose docker-compose.yml docker-compose.cloud.yml "$work/compose-merged.yml" "$work/compose-cloud-merged.yml" \
    "$work/compose-connect-merged.yml" \
  --k8s "${rendered[@]}" deploy/connect/iceberg-kafkaconnect.yaml deploy/connect/iceberg-kafkaconnector.yaml

echo "== promtool $(promtool --version 2>&1 | sed -n 1p | awk '{print $3}'): check rules"
promtool check rules deploy/monitoring/alert-rules.yaml
echo "validate-deploy: OK"
