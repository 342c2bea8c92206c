#!/usr/bin/env bash
# Installs the Debian 12 packages leadrouter builds and tests with.
# Idempotent: does nothing when all of them are already installed.
set -euo pipefail

packages=(
    # build; clang and its runtime for the libFuzzer target
    build-essential cmake pkg-config clang-format clang libclang-rt-14-dev
    # libraries (the SPEC's dependency list)
    libyaml-cpp-dev libpq-dev libhowardhinnant-date-dev tzdata libevent-dev libgmime-3.0-dev
    libcurl4-openssl-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core
    libqpdf-dev libsystemd-dev libmilter-dev libxml2-dev libphonenumber-dev
    # leadweb (issue #15): the HTTP server, HMAC for the links' tokens
    libmicrohttpd-dev libssl-dev
    # tests: Catch2 v2, a private PostgreSQL 15 cluster, private Postfix
    # instances, miltertest for the milter protocol
    catch2 postgresql-15 postgresql-client-15 postfix qpdf poppler-utils systemd miltertest
    # PgBouncer in front of the test cluster (tests/integration/pgbouncer_test)
    pgbouncer
    # a real browser for leadweb's pages (tests/browser), and python3 for
    # it and the test-name check; wrk for the leadweb benchmark
    python3 chromium chromium-driver python3-selenium wrk
    # the integration API and metrics (issue #16): promtool checks the alert
    # rules, python3-jsonschema every API answer against the OpenAPI
    # document; npm brings its validator (below)
    prometheus python3-jsonschema
    # the reports (issue #18): pngcheck and python3-pil decode the charts
    # the report mail carries
    pngcheck python3-pil
    # a private CA and SASL for the TLS/AUTH outbox test
    openssl sasl2-bin libsasl2-modules
    # man pages (man --warnings) and the Debian packages (tests/package)
    man-db groff-base procps dpkg-dev debhelper fakeroot lintian
)

# The OpenAPI validator, pinned by tests/api/package-lock.json (Debian 12
# packages none): from the npm registry into tests/api/node_modules.
install_openapi_lint() {
    if [ -x tests/api/node_modules/.bin/redocly ]; then
        return 0
    fi
    if ! command -v npm >/dev/null; then
        echo "install-deps: npm is missing; the OpenAPI lint test needs Node.js 20.19+ and npm" >&2
        return 0
    fi
    (cd "$(dirname "$0")/../tests/api" && npm ci --no-audit --no-fund --loglevel=error)
}
trap install_openapi_lint EXIT

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [ "$status" != "install ok installed" ]; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages (${missing[*]}); run as root to install them" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# postgresql-common would create and start a system cluster on port 5432;
# tests start their own, so keep the package from creating one.
mkdir -p /etc/postgresql-common
if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
fi
# postfix brings smtp-sink for the tests; its own instance stays unconfigured
# and stopped (tests start private instances on 127.0.0.1 high ports). No
# package may start a system service here: a policy-rc.d says no while
# installing, unless the machine has its own.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    own_policy=1
fi
apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
if [ -n "$own_policy" ]; then
    rm -f "$policy"
fi
