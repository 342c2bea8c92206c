#!/usr/bin/env bash
# The installed product (issue #19): builds the Debian packages, checks them
# with lintian, installs them with apt, runs the *installed* leadctl,
# leadmilter and leadd against a private PostgreSQL and a private Postfix
# whose smtpd runs chrooted as on a stock Debian, sends one lead end to
# end, then purges the packages and checks that nothing of ours is left.
#   bash tests/package/installed_test.sh [DEB_DIR]
# With DEB_DIR the packages built there are tested instead of building them.
# Root only: it installs packages. It refuses to run when a leadrouter
# package is already installed (it would remove it at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
[ "$(id -u)" -eq 0 ] || { echo "installed_test: must run as root (apt-get install)" >&2; exit 1; }

packages=(leadrouter-common leadmilter leadd leadweb leadctl)
failures=0
check() { # DESCRIPTION COMMAND...: runs it, says ok or FAIL
    local what=$1
    shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for package in "${packages[@]}"; do
    if installed "$package"; then
        echo "installed_test: $package is installed already; purge it first" >&2
        exit 1
    fi
done

# Everything of ours a package could leave behind, by name.
# /var/cache/man is man-db's: `man` caches the pages it formats there (as
# user man) and man-db's cron job expires them; no package removes them.
footprint() {
    find /etc /usr /lib /var /run -xdev \( -name 'leadrouter*' -o -name 'leadmilter*' \
        -o -name 'leadd*' -o -name 'leadweb*' -o -name 'leadctl*' \) -not -path '/var/lib/dpkg/*' \
        -not -path '/var/cache/apt/*' -not -path '/var/cache/man/*' -not -path '/var/log/*' \
        2>/dev/null | sort
}
before=$(footprint)
user_before=$(getent passwd leadrouter || true)

source scripts/lib/private-pg.sh
source scripts/lib/private-postfix.sh
work=$(mktemp -d /tmp/leadrouter-installed-XXXXXX)
chmod 755 "$work"
milter_pid= leadd_pid= web_pid=
cleanup() {
    local status=$?
    set +e
    postfix_private_stop
    for pid in $milter_pid $leadd_pid $web_pid; do kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    sink_stop
    pg_private_stop
    for package in "${packages[@]}"; do
        installed "$package" && apt-get purge -y -q "${packages[@]}" >/dev/null 2>&1 && break
    done
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

debs=${1:-}
if [ -z "$debs" ]; then
    debs=$work/debs
    echo "== building the packages (scripts/build-packages.sh)"
    start=$(date +%s)
    bash scripts/build-packages.sh "$debs" >/dev/null
    echo "   built in $(($(date +%s) - start)) s"
fi
debs=$(realpath "$debs")

echo "== lintian"
lintian_out=$work/lintian.txt
lintian --fail-on error --tag-display-limit 0 "$debs"/*.changes >"$lintian_out" 2>&1 ||
    { cat "$lintian_out"; echo "FAIL lintian reports errors"; exit 1; }
# Every warning that remains is listed, with its reason, in
# tests/package/lintian-warnings.expected; a new one fails here.
{ grep '^W: ' "$lintian_out" || true; } | sed 's/ \[.*//' | sort -u >"$work/warnings"
sed -e '/^#/d' -e '/^$/d' tests/package/lintian-warnings.expected | sort -u >"$work/expected"
check "lintian: no errors, and no warning beyond tests/package/lintian-warnings.expected" \
    diff -u "$work/expected" "$work/warnings"

echo "== apt-get install"
export DEBIAN_FRONTEND=noninteractive
files=()
for package in "${packages[@]}"; do files+=("$debs/${package}_"*.deb); done
apt-get install -y -q --no-install-recommends "${files[@]}" >"$work/install.log" 2>&1 || true
sed -i 's/\r//' "$work/install.log"
for package in "${packages[@]}"; do
    check "$package is installed" installed "$package"
done
installed leadmilter || { cat "$work/install.log"; exit 1; }
check "system user and group leadrouter exist" getent passwd leadrouter
in_group() { id -nG postfix | tr ' ' '\n' | grep -qx leadrouter; }
check "the postfix user is in group leadrouter (smtpd may use the socket)" in_group
check "socket directory /var/spool/postfix/leadmilter is 750 leadrouter:leadrouter" \
    test "$(stat -c '%a %U:%G' /var/spool/postfix/leadmilter)" = "750 leadrouter:leadrouter"
check "state directory /var/lib/leadrouter is 750 leadrouter:leadrouter" \
    test "$(stat -c '%a %U:%G' /var/lib/leadrouter)" = "750 leadrouter:leadrouter"
check "/etc/leadrouter/leadrouter.yaml is a conffile" \
    bash -c "dpkg-query -W -f='\${Conffiles}' leadrouter-common | grep -q ' /etc/leadrouter/leadrouter.yaml '"
check "the three units are enabled (multi-user.target.wants)" \
    test -L /etc/systemd/system/multi-user.target.wants/leadmilter.service -a \
    -L /etc/systemd/system/multi-user.target.wants/leadd.service -a \
    -L /etc/systemd/system/multi-user.target.wants/leadweb.service
check "systemd-analyze verify accepts the installed units" \
    systemd-analyze verify /lib/systemd/system/leadmilter.service /lib/systemd/system/leadd.service \
        /lib/systemd/system/leadweb.service
for page in leadmilter.8 leadd.8 leadweb.8 leadctl.8 leadrouter.yaml.5; do
    check "man ${page%.*}(${page##*.}) is installed and renders without warnings" \
        bash -c "file=\$(man -w ${page##*.} ${page%.*}) && [ -f \"\$file\" ] &&
                 out=\$(MANWIDTH=80 man --warnings -l \"\$file\" 2>&1 >/dev/null) && [ -z \"\$out\" ]"
done
check "leadctl check accepts the installed configuration" /usr/sbin/leadctl check
check "leadmilter --check-config accepts it too" /usr/sbin/leadmilter --check-config

echo "== the installed binaries, end to end through a chrooted smtpd"
pg_private_start
chmod 755 "$PG_DIR" # the leadrouter user reaches the server's socket
pg_as_server_user "$PG_BIN/createdb" -h "$PG_DIR" -U postgres leadrouter
sink_start
PF_CHROOT=y postfix_private_start "127.0.0.1:$SINK_PORT" "unix:/leadmilter/milter.sock"
# The socket directory inside this instance's chroot, made by the installed
# tmpfiles.d rule with only the path changed.
sed -n "s|/var/spool/postfix/|$PF_DIR/queue/|p" /usr/lib/tmpfiles.d/leadmilter.conf >"$work/chroot.conf"
systemd-tmpfiles --create "$work/chroot.conf"
check "smtpd runs chrooted in this instance (master.cf chroot column y)" \
    grep -q "^127.0.0.1:$PF_PORT inet n - y " "$PF_DIR/etc/master.cf"

# The installed configuration and the installed example dealer, pointed at
# the private servers, with leadweb on a loopback port and its key file
# (0600 leadrouter, as README.Debian says).
mkdir -p "$work/conf/dealers.d"
cp /usr/share/doc/leadrouter-common/examples/mueller.yaml "$work/conf/dealers.d/"
web_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
web_url="http://127.0.0.1:$web_port"
sed -e "s|^  database: .*|  database: \"host=$PG_DIR user=postgres dbname=leadrouter\"|" \
    -e "s|^    socket: .*|    socket: \"unix:$PF_DIR/queue/leadmilter/milter.sock\"|" \
    -e "s|^    server: .*|    server: \"127.0.0.1:$SINK_PORT\"|" \
    -e "s|^  automanager_url: |  web:\n    listen: \"127.0.0.1:$web_port\"\n    public_url: \"$web_url\"\n    secret_file: \"$work/conf/web.secret\"\n  automanager_url: |" \
    /etc/leadrouter/leadrouter.yaml >"$work/conf/leadrouter.yaml"
chmod -R a+rX "$work/conf"
install -m 0600 -o leadrouter -g leadrouter /dev/null "$work/conf/web.secret"
openssl rand -hex 32 >"$work/conf/web.secret"
config=$work/conf/leadrouter.yaml
check "leadctl migrate as user leadrouter" \
    runuser -u leadrouter -- /usr/sbin/leadctl migrate --config "$config"

# leadmilter as its unit starts it: user and group leadrouter, UMask=0007.
(umask 0007 && exec setpriv --reuid=leadrouter --regid=leadrouter --init-groups -- \
    /usr/sbin/leadmilter --config "$config") >"$work/leadmilter.log" 2>&1 &
milter_pid=$!
socket=$PF_DIR/queue/leadmilter/milter.sock
for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.1; done
check "the socket is 0660 leadrouter:leadrouter" \
    test "$(stat -c '%a %U:%G' "$socket")" = "660 leadrouter:leadrouter"
check "leadmilter runs as leadrouter" \
    test "$(ps -o user= -p "$milter_pid" | tr -d ' ')" = leadrouter

answer=$(smtp_send noreply@mobile.de mueller@dein.auto fixtures/mail/mobile-de-lead.eml)
check "the chrooted smtpd accepts the lead after leadmilter stored it ($answer)" \
    bash -c "[[ '$answer' == 250* ]]"
stored=$(psql -X -At -h "$PG_DIR" -U postgres -d leadrouter -c \
    "SELECT count(*) FROM leads l JOIN messages m ON m.lead_id = l.id WHERE m.kind = 'lead'")
check "the lead is in the database ($stored)" test "$stored" = 1

# The membership is what lets smtpd in: without it a fresh smtpd gets
# "Permission denied" and the sender 4xx (milter_default_action=tempfail).
deluser --quiet postfix leadrouter
/usr/sbin/postfix -c "$PF_DIR/etc" reload >/dev/null 2>&1
sleep 1
answer=$(smtp_send noreply@mobile.de mueller@dein.auto fixtures/mail/mobile-de-lead.eml)
check "without the postfix user in group leadrouter smtpd cannot reach the socket ($answer)" \
    bash -c "[[ '$answer' == 4* ]] && grep -q 'Permission denied' '$PF_DIR/maillog'"
adduser --quiet postfix leadrouter
/usr/sbin/postfix -c "$PF_DIR/etc" reload >/dev/null 2>&1

# leadweb as its unit starts it: user leadrouter.
setpriv --reuid=leadrouter --regid=leadrouter --init-groups -- \
    /usr/sbin/leadweb --config "$config" >"$work/leadweb.log" 2>&1 &
web_pid=$!
for _ in $(seq 100); do curl -sf "$web_url/healthz" >/dev/null && break; sleep 0.1; done
check "leadweb (user leadrouter) listens and reaches the database" \
    bash -c "[ \"\$(curl -s '$web_url/healthz')\" = ok ]"

# setpriv execs leadd itself (runuser would stay as its parent and turn
# the SIGTERM below into its own status).
setpriv --reuid=leadrouter --regid=leadrouter --init-groups -- \
    /usr/sbin/leadd --config "$config" >"$work/leadd.log" 2>&1 &
leadd_pid=$!
assignee_mail=
for _ in $(seq 300); do
    assignee_mail=$(psql -X -At -h "$PG_DIR" -U postgres -d leadrouter -c \
        "SELECT array_to_string(recipients, ',') FROM outbox WHERE state = 'sent' AND lead_id IS NOT NULL
          ORDER BY id LIMIT 1")
    [ -n "$assignee_mail" ] && break
    sleep 0.2
done
check "leadd (daemon mode, user leadrouter) assigned the lead and sent the notice ($assignee_mail)" \
    test -n "$assignee_mail"
for _ in $(seq 100); do
    grep -qs "X-Rcpt-Args: <$assignee_mail>" "$SINK_DIR"/* && break
    sleep 0.1
done
check "the notice went to a user of the dealer" \
    grep -q "^ *email: *$assignee_mail\$" "$work/conf/dealers.d/mueller.yaml"
check "the notice reached the outside world (smtp-sink) for $assignee_mail" \
    grep -qs "X-Rcpt-Args: <$assignee_mail>" "$SINK_DIR"/*
forward=$(sed -n 's/^ *forward_to: *//p' "$work/conf/dealers.d/mueller.yaml" | head -1)
check "the original was forwarded to $forward" grep -qs "X-Rcpt-Args: <$forward>" "$SINK_DIR"/*
link=$(python3 scripts/lib/notice-links.py "$SINK_DIR" | awk '$3 == "Beantwortet" {print $4}' | tail -1)
check "the notice carries a „Beantwortet“ link to leadweb ($link)" bash -c "[[ '$link' == $web_url/a/* ]]"
check "the link's page answers the lead (POST)" \
    bash -c "curl -s -X POST '$link' | grep -q 'Die Anfrage ist als beantwortet vermerkt'"
responded=$(psql -X -At -h "$PG_DIR" -U postgres -d leadrouter -c \
    "SELECT string_agg(action || ':' || channel, ' ') FROM lead_actions")
check "the audit trail says reaction via web ($responded)" test "$responded" = "reaction:web"
kill -TERM "$web_pid"
web_status=0
wait "$web_pid" || web_status=$?
web_pid=
check "leadweb stops cleanly on SIGTERM (status $web_status)" test "$web_status" = 0
kill -TERM "$leadd_pid"
leadd_status=0
wait "$leadd_pid" || leadd_status=$?
leadd_pid=
check "leadd stops cleanly on SIGTERM (status $leadd_status)" test "$leadd_status" = 0
kill -TERM "$milter_pid"
milter_status=0
wait "$milter_pid" || milter_status=$?
milter_pid=
check "leadmilter stops cleanly on SIGTERM (status $milter_status)" test "$milter_status" = 0
postfix_private_stop
sink_stop
pg_private_stop

echo "== apt-get purge"
apt-get purge -y -q "${packages[@]}" >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; exit 1; }
for package in "${packages[@]}"; do
    check "$package is gone" bash -c "! dpkg-query -W -f='\${Status}' $package 2>/dev/null | grep -q installed"
done
after=$(footprint)
check "nothing of ours is left on disk (units, links, /etc, /var, man pages, binaries)" \
    diff -u <(echo "$before") <(echo "$after")
check "the user leadrouter is kept (Debian policy 9.2.2)" getent passwd leadrouter
check "the postfix user's membership in group leadrouter is gone" bash -c '! { id -nG postfix | tr " " "\n" | grep -qx leadrouter; }'
if [ -z "$user_before" ]; then
    echo "     (created by this run; remove it with: deluser --system leadrouter)"
fi

if [ "$failures" -gt 0 ]; then
    echo "installed_test: $failures check(s) failed" >&2
    for log in leadmilter.log leadd.log install.log; do
        [ -f "$work/$log" ] && { echo "--- $log"; tail -30 "$work/$log"; }
    done
    exit 1
fi
echo "installed_test: all checks passed"
