#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium for the browser tests (playwright-core drives it; we never
# download a browser). Installs Debian's chromium when it is missing and we may (root on Debian).
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
DRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

if [ -x "$CHROMIUM" ] && [ -x "$DRIVER" ]; then
  echo "$CHROMIUM"
  exit 0
fi

if [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM or $DRIVER is missing; installing Debian's chromium (about 40 s)..." >&2
  start=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  # Two test stages or a bench starting at once would both run apt-get: the second would find apt's lock held
  # and fail. Ours are serialised on a lock of our own, and apt waits for anyone else's.
  exec 9>/tmp/aicc-ensure-chromium.lock
  flock 9
  if [ ! -x "$CHROMIUM" ] || [ ! -x "$DRIVER" ]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium chromium-driver >&2
  fi
  if [ -x "$CHROMIUM" ] && [ -x "$DRIVER" ]; then
    echo "ensure-chromium: installed in $((SECONDS - start)) s" >&2
    echo "$CHROMIUM"
    exit 0
  fi
  echo "ensure-chromium: apt-get finished but $CHROMIUM or $DRIVER is still missing" >&2
  exit 1
fi

cat >&2 <<MSG
ensure-chromium: no Chromium at $CHROMIUM, or no ChromeDriver at $DRIVER.
Install it (Debian/Ubuntu: sudo apt-get install chromium chromium-driver), or point CHROMIUM_PATH at a
Chromium/Chrome binary. The tests never download a browser (no 'npx playwright install').
MSG
exit 1
