#!/usr/bin/env bash
# Installs what the browser tests need when it can: Debian's Chromium (as root, via apt)
# and axe-core (via npm, pinned in package-lock.json). Missing pieces make the browser
# tests skip locally; under CI=true they fail instead, so CI can never pass silently.
set -u
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian chromium for browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; browser tests will not run" >&2
fi
if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then
  npm ci --silent --no-audit --no-fund >/dev/null 2>&1 || npm install --silent --no-audit --no-fund >/dev/null 2>&1 \
    || echo "warning: could not install axe-core; accessibility tests will not run" >&2
fi
exit 0
