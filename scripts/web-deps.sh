#!/usr/bin/env bash
# Installs what the static-publishing tests and benchmarks need when it can: Debian's
# nginx (the public web server the generated configuration is tested against) and wrk
# (the load generator `make bench` compares nginx and the application with). Missing
# pieces make those tests skip locally; under CI=true they fail instead.
set -u
missing=()
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} for the static-publishing tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null) || echo "warning: could not install ${missing[*]}" >&2
  # The package starts a system nginx on port 80; the tests run their own.
  if [ -x /usr/sbin/nginx ] && [ -f /run/nginx.pid ]; then /usr/sbin/nginx -s stop 2>/dev/null || true; fi
fi
exit 0
