#!/bin/sh
# One-shot set-up of the SolrCloud cluster of the compose profile "cluster", safe to run again:
# basic authentication (security.json, written by security.sh) into ZooKeeper, the configset
# of config/solr/ uploaded as "$SOLR_COLLECTION", and the collection created with
# $SOLR_SHARDS shards x $SOLR_REPLICAS replicas, or reloaded (new configset) if it exists.
set -eu
: "${ZK_HOST:?set ZK_HOST}"
: "${SOLR_URL:?set SOLR_URL (any live node, e.g. http://solr-1:8983/solr)}"
: "${SOLR_USER:?set SOLR_USER}"
: "${SOLR_PASSWORD:?set SOLR_PASSWORD (for example in .env)}"
collection=${SOLR_COLLECTION:-ckan}
conf=/opt/solr/server/solr/configsets/ckan/conf
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# security.json goes to ZooKeeper, where every node of the cluster reads it.
SOLR_SECURITY_FILE="$work/security.json" sh "$(dirname "$0")/security.sh"
solr zk cp "$work/security.json" zk:/security.json -z "$ZK_HOST"
solr zk upconfig -n "$collection" -d "$conf" -z "$ZK_HOST"

# The password goes to curl in a config file, not on its command line (ps shows that).
escaped=$(printf '%s:%s' "$SOLR_USER" "$SOLR_PASSWORD" | sed 's/[\\"]/\\&/g')
printf 'user = "%s"\n' "$escaped" > "$work/curlrc"
api() {
  # The nodes pick up security.json from ZooKeeper a moment after the upload: retry.
  tries=0
  until curl -fsS -K "$work/curlrc" "$SOLR_URL/admin/collections?wt=json&$1"; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || { echo "Collections API $1 failed" >&2; return 1; }
    sleep 2
  done
}
if api "action=LIST" | grep -q "\"$collection\""; then
  api "action=RELOAD&name=$collection" > /dev/null
  echo "collection $collection exists: reloaded with the uploaded configset"
else
  api "action=CREATE&name=$collection&collection.configName=$collection&numShards=${SOLR_SHARDS:-2}&replicationFactor=${SOLR_REPLICAS:-2}&waitForFinalState=true" > /dev/null
  echo "collection $collection created: ${SOLR_SHARDS:-2} shards x ${SOLR_REPLICAS:-2} replicas"
fi
