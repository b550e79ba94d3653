#!/usr/bin/env bash
# Runs every test of ImageMais Clinic on a fresh machine: restores tools and packages, builds, tests.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet tool restore
dotnet test ImageMais.Clinic.sln --configuration Release "$@"
