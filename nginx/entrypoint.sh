#!/bin/sh
# Write the resolver nginx uses to find the backend at request time: the first nameserver of the
# container's /etc/resolv.conf (Docker: 127.0.0.11; podman: the network's gateway), or
# QLF_RESOLVER when set. Then run the command (nginx).
set -eu
resolver="${QLF_RESOLVER:-$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)}"
case "$resolver" in
  "") echo "entrypoint: no nameserver in /etc/resolv.conf (set QLF_RESOLVER)" >&2; exit 1 ;;
  *:*) resolver="[$resolver]" ;;  # IPv6
esac
echo "resolver $resolver valid=10s;" >/tmp/nginx-resolver.conf
exec "$@"
