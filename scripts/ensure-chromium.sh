#!/usr/bin/env bash
# Makes sure Debian's Chromium and its chromedriver are installed, for the back-office browser tests.
# Run by the build before the tests (app/pom.xml), so that README's test command works on a fresh
# Debian or Ubuntu machine: as root it installs them with apt; otherwise it says what to run.
set -euo pipefail
if command -v chromedriver >/dev/null 2>&1 && { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }; then
  exit 0
fi
install="apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium and chromium-driver for the browser tests..."
  bash -c "$install"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium and chromium-driver for the browser tests (sudo)..."
  sudo bash -c "$install"
else
  echo "The browser tests need Chromium and chromedriver. Install them, e.g. on Debian or Ubuntu:" >&2
  echo "  sudo apt-get install chromium chromium-driver" >&2
  exit 1
fi
