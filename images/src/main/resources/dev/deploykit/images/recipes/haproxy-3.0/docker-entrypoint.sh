#!/bin/sh
# The official haproxy image's entrypoint: options alone mean "haproxy <options>", and haproxy
# runs in master-worker mode (-W, reload with SIGUSR2) in the foreground (-db).
set -e
if [ "${1#-}" != "$1" ]; then
	set -- haproxy "$@"
fi
if [ "$1" = 'haproxy' ]; then
	shift
	set -- haproxy -W -db "$@"
fi
exec "$@"
