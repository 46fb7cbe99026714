#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/test_browser.py drives it with Playwright,
# executable_path=/usr/bin/chromium). The Python side (playwright) comes from the `test` extra.
# Never runs `playwright install`: that downloads a browser build and fails offline.
# Tolerant: without root/sudo or a package mirror it warns and the browser tests skip themselves.
set -u
if [ -x /usr/bin/chromium ]; then
    echo "browser-setup: /usr/bin/chromium is present"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "browser-setup: not root and no passwordless sudo; browser tests will be skipped" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || echo "browser-setup: apt-get update failed" >&2
if ! $SUDO apt-get install -y -q --no-install-recommends chromium; then
    echo "browser-setup: could not install chromium; browser tests will be skipped" >&2
fi
exit 0
