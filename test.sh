#!/usr/bin/env bash
# Runs every test of ImageMais Clinic: restores tools and packages, builds, tests, and ends with one summary line
# ("N passed, N failed, N skipped"). Runs as root on a fresh Debian 12 machine; installs only what is missing.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~ImageMais.Clinic.Tests.Cli".
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then
    SUDO="sudo"
fi

# Installs Debian packages (non-interactive), reading the package lists once per run: the lists stay fresh
# until a new package feed is added (see ensure_dotnet).
apt_lists_fresh=""
apt_install() {
    if [ -z "$apt_lists_fresh" ]; then
        $SUDO apt-get update -qq
        apt_lists_fresh=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

# The .NET SDK of global.json (10.0), from Microsoft's Debian 12 package feed, when `dotnet` is not installed.
# First, because the feed it adds needs the package lists read again.
ensure_dotnet() {
    if command -v dotnet >/dev/null; then
        return
    fi

    echo "dotnet not found: installing the .NET 10 SDK from packages.microsoft.com" >&2
    apt_install ca-certificates curl
    curl -fsSL -o /tmp/packages-microsoft-prod.deb https://packages.microsoft.com/config/debian/12/packages-microsoft-prod.deb
    $SUDO dpkg -i /tmp/packages-microsoft-prod.deb
    apt_lists_fresh=""
    apt_install dotnet-sdk-10.0
}

# The Debian packages the tests need and this machine lacks, one name a line.
missing_packages() {
    # ICU: the app formats and compares text by culture (pt-BR, en), so globalization is not invariant.
    if ! ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so'; then
        echo libicu72
    fi

    # The browser tests: Playwright drives Debian's Chromium at /usr/bin/chromium.
    if [ ! -x /usr/bin/chromium ]; then
        echo chromium
    fi

    # The scale-out tests (Redis backplane). redis-server does not start by itself: each test fixture starts its
    # own on 127.0.0.1 and stops it by its PID.
    if ! command -v redis-server >/dev/null; then
        echo redis-server
    fi
}

# Everything missing in one install.
ensure_packages() {
    local missing
    mapfile -t missing < <(missing_packages)
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "installing missing packages: ${missing[*]}" >&2
        apt_install "${missing[@]}"
    fi
}

# Sums one attribute of the <Counters …/> element over the TRX files given.
count() {
    local name="$1" total=0 value file
    shift
    for file in "$@"; do
        value=$(grep -o '<Counters [^>]*>' "$file" | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9]\+' || true)
        total=$((total + ${value:-0}))
    done
    echo "$total"
}

ensure_dotnet
ensure_packages

results="TestResults/run"
rm -rf "$results"

dotnet tool restore
status=0
dotnet test ImageMais.Clinic.sln --configuration Release --results-directory "$results" --logger trx "$@" || status=$?

shopt -s nullglob
trx=("$results"/*.trx)
passed=$(count passed "${trx[@]}")
failed=$(( $(count failed "${trx[@]}") + $(count error "${trx[@]}") + $(count timeout "${trx[@]}") + $(count aborted "${trx[@]}") ))
# A skipped test is counted in "total" but not in "executed".
skipped=$(( $(count total "${trx[@]}") - $(count executed "${trx[@]}") ))

echo
echo "$passed passed, $failed failed, $skipped skipped"

if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    exit 1
fi

if [ $((passed + failed)) -eq 0 ]; then
    echo "No test ran." >&2
    exit 1
fi
