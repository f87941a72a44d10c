#!/usr/bin/env bash
# Renders deploy/nginx.conf.in into PREFIX/nginx.conf, makes a self-signed TLS certificate in
# PREFIX/tls (kept when already there) and checks the result with `nginx -t`.
#
#   deploy/setup-proxy.sh PREFIX [LISTEN] [UPSTREAM]
#   deploy/setup-proxy.sh /etc/clausematch-proxy 0.0.0.0:443 127.0.0.1:8080    # a server
#   nginx -p /etc/clausematch-proxy -c /etc/clausematch-proxy/nginx.conf       # then start it
#
# LISTEN defaults to 443, UPSTREAM to 127.0.0.1:8080 (`clausematch serve --listen`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:?usage: setup-proxy.sh PREFIX [LISTEN] [UPSTREAM]}
listen=${2:-443}
upstream=${3:-127.0.0.1:8080}
command -v nginx >/dev/null || { echo "setup-proxy: nginx is not installed (scripts/install-deps)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "setup-proxy: openssl is not installed" >&2; exit 1; }

mkdir -p "$prefix"/{logs,tmp,tls}
prefix=$(cd "$prefix" && pwd)
if [ ! -s "$prefix/tls/cert.pem" ]; then
  # Self-signed, for a first start and for tests; replace with the organisation's certificate.
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$prefix/tls/key.pem" -out "$prefix/tls/cert.pem" 2>/dev/null
  chmod 600 "$prefix/tls/key.pem"
fi
sed -e "s|@PREFIX@|$prefix|g" -e "s|@LISTEN@|$listen|g" -e "s|@UPSTREAM@|$upstream|g" \
  "$here/nginx.conf.in" >"$prefix/nginx.conf"
nginx -q -t -p "$prefix" -c "$prefix/nginx.conf"
echo "$prefix/nginx.conf"
