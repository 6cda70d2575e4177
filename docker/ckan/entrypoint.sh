#!/bin/sh
# Entry point of every CKAN-based service (web, worker, harvest consumers, scheduler).
# The service URLs come from CKAN_SQLALCHEMY_URL, CKAN_SOLR_URL, CKAN_REDIS_URL and
# CKAN_SITE_URL (CKAN reads them itself); only the secret goes into the ini written here,
# on top of config/ckan.ini, exactly as bin/stack does locally.
set -eu

: "${CKAN_SECRET_KEY:?set CKAN_SECRET_KEY (for example in .env) to a long random string}"
# The ini holds the secret: readable by the ckan user only.
umask 077
cat > "$CKAN_INI" <<INI
[app:main]
use = config:/srv/app/config/ckan.ini
SECRET_KEY = ${CKAN_SECRET_KEY}
ckan.site_id = ${CKAN_SITE_ID:-lampangpoverty}
INI
datastore_ini() {
  # The DataStore's connections, xloader's job table and site URL inside the network, and
  # xloader's API token once the web service made it (kept on the shared storage volume).
  token_file="${CKAN_STORAGE_PATH}/xloader_token"
  cat >> "$CKAN_INI" <<INI
ckan.datastore.write_url = ${CKAN_DATASTORE_WRITE_URL}
ckan.datastore.read_url = ${CKAN_DATASTORE_READ_URL}
ckanext.xloader.jobs_db.uri = ${CKAN_SQLALCHEMY_URL}
ckanext.xloader.site_url = ${CKAN_XLOADER_SITE_URL:-}
ckanext.xloader.api_token = $(cat "$token_file" 2>/dev/null || echo NOT_SET)
INI
}
datastore_ini

# Only the web service migrates and creates the first sysadmin (CKAN_MIGRATE=1).
if [ "${CKAN_MIGRATE:-0}" = "1" ]; then
  ckan datastore set-permissions | psql "${CKAN_SQLALCHEMY_URL%/*}/postgres" -v ON_ERROR_STOP=1 -q
  ckan db upgrade
  if [ -n "${CKAN_SYSADMIN_NAME:-}" ] && ! ckan user show "$CKAN_SYSADMIN_NAME" | grep -q "name=$CKAN_SYSADMIN_NAME"; then
    ckan user add "$CKAN_SYSADMIN_NAME" "email=${CKAN_SYSADMIN_EMAIL}" "password=${CKAN_SYSADMIN_PASSWORD}"
    ckan sysadmin add "$CKAN_SYSADMIN_NAME"
  fi
  if [ ! -s "${CKAN_STORAGE_PATH}/xloader_token" ]; then
    (umask 077; ckan lampangpoverty datastore-token | tail -1 > "${CKAN_STORAGE_PATH}/xloader_token")
    sed -i '/^ckanext.xloader.api_token/d' "$CKAN_INI" && datastore_ini
  fi
fi

exec "$@"
