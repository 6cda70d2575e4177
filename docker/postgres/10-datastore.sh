#!/bin/sh
# First start of the database volume: the DataStore database (owned by CKAN's user, who
# writes it) and its read-only user. The CKAN container then runs CKAN's own
# `ckan datastore set-permissions` script against it (docker/ckan/entrypoint.sh).
set -eu
: "${DATASTORE_READONLY_PASSWORD:?set DATASTORE_READONLY_PASSWORD in .env}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE datastore_ro LOGIN PASSWORD '${DATASTORE_READONLY_PASSWORD}';
CREATE DATABASE datastore OWNER "$POSTGRES_USER" ENCODING 'UTF8';
SQL
