#!/usr/bin/env bash
# Runs every test of ImageMais Clinic on a fresh machine: restores tools and packages, builds, tests.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- Browser tests (Playwright) drive Debian's Chromium; install it when missing. ---
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi
fi
# --- end browser tests ---

dotnet tool restore
dotnet test ImageMais.Clinic.sln --configuration Release "$@"
