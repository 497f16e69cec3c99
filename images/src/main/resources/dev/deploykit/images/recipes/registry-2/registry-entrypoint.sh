#!/bin/sh
# The official image runs `registry serve CONFIG`; Debian names the binary docker-registry.
# With REGISTRY_HTPASSWD_USER and REGISTRY_HTPASSWD_PASSWORD set, a bcrypt htpasswd entry is
# written first and htpasswd auth switched on (the password is then removed from the environment
# the registry sees).
set -eu
if [ -n "${REGISTRY_HTPASSWD_USER:-}" ]; then
  : "${REGISTRY_HTPASSWD_PASSWORD:?REGISTRY_HTPASSWD_PASSWORD must be set with REGISTRY_HTPASSWD_USER}"
  mkdir -p /auth
  htpasswd -Bbn "$REGISTRY_HTPASSWD_USER" "$REGISTRY_HTPASSWD_PASSWORD" > /auth/htpasswd
  chmod 0600 /auth/htpasswd
  unset REGISTRY_HTPASSWD_PASSWORD
  export REGISTRY_AUTH=htpasswd
  export REGISTRY_AUTH_HTPASSWD_REALM="${REGISTRY_AUTH_HTPASSWD_REALM:-deploykit}"
  export REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd
fi
case "${1:-}" in
  serve) shift ;;
esac
if [ $# -eq 0 ] || [ "${1#-}" != "$1" ] || [ -f "$1" ]; then
  exec /usr/bin/docker-registry serve "${@:-/etc/docker/registry/config.yml}"
fi
exec "$@"
