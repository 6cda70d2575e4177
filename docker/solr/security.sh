#!/bin/sh
# Writes /var/solr/data/security.json (standalone Solr reads it from SOLR_HOME) so that every
# request needs basic authentication as $SOLR_USER / $SOLR_PASSWORD, then starts Solr.
# Solr's format: credentials = base64(sha256(sha256(salt + password))) + " " + base64(salt).
set -eu
: "${SOLR_USER:?set SOLR_USER}"
: "${SOLR_PASSWORD:?set SOLR_PASSWORD (for example in .env)}"
umask 077
file=${SOLR_SECURITY_FILE:-/var/solr/data/security.json}
mkdir -p "$(dirname "$file")"
salt=$(openssl rand 32 | base64 -w0)
hash=$( { printf '%s' "$salt" | base64 -d; printf '%s' "$SOLR_PASSWORD"; } \
        | openssl dgst -sha256 -binary | openssl dgst -sha256 -binary | base64 -w0)
cat > "$file" <<JSON
{
  "authentication": {
    "class": "solr.BasicAuthPlugin",
    "blockUnknown": true,
    "credentials": {"${SOLR_USER}": "${hash} ${salt}"}
  },
  "authorization": {
    "class": "solr.RuleBasedAuthorizationPlugin",
    "permissions": [{"name": "all", "role": "admin"}],
    "user-role": {"${SOLR_USER}": "admin"}
  }
}
JSON
[ "$#" -eq 0 ] || exec docker-entrypoint.sh "$@"
