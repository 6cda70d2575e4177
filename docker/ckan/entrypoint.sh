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

# Only the web service migrates and creates the first sysadmin (CKAN_MIGRATE=1).
if [ "${CKAN_MIGRATE:-0}" = "1" ]; then
  ckan db upgrade
  if [ -n "${CKAN_SYSADMIN_NAME:-}" ] && ! ckan user show "$CKAN_SYSADMIN_NAME" | grep -q "name=$CKAN_SYSADMIN_NAME"; then
    ckan user add "$CKAN_SYSADMIN_NAME" "email=${CKAN_SYSADMIN_EMAIL}" "password=${CKAN_SYSADMIN_PASSWORD}"
    ckan sysadmin add "$CKAN_SYSADMIN_NAME"
  fi
fi

exec "$@"
