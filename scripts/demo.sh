#!/usr/bin/env bash
# The main job (see README): a day of dealer mail through the whole product.
# Builds leadrouter, starts a private PostgreSQL, smtp-sink as the world
# outside, leadmilter and a private Postfix (smtpd_milters) on 127.0.0.1,
# sends the day's mail over SMTP (marketplace, website, ADF and call leads,
# a trade-in, unassignable mail, a customer's reply), lets leadd assign and
# then runs its clock three days ahead through reminders and escalations,
# has salespeople act from their notices (a reply command, a pool lead
# claimed by reply command, a link through leadweb), and prints what
# happened. Stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# LEADROUTER_DEMO_BUILD=DIR runs the binaries of an existing build instead
# (its test checks the exit status that way, without a third build).
build=${LEADROUTER_DEMO_BUILD:-}
if [ -z "$build" ]; then
    bash scripts/install-deps.sh
    build=$root/build/demo
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEADROUTER_TESTS=OFF >/dev/null
    cmake --build "$build" -j"$(nproc)" >/dev/null
fi
leadctl=$build/daemon/leadctl
leadd=$build/daemon/leadd
leadmilter=$build/milter/leadmilter
leadweb=$build/daemon/leadweb
output=$build/output
rm -rf "$output" && mkdir -p "$output"

source scripts/lib/private-pg.sh
source scripts/lib/private-postfix.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/leadrouter-demo-XXXXXX")
chmod 755 "$work" # smtpd (user postfix) reaches the milter socket in here
milter_pid= web_pid=
cleanup() {
    # The script's own status, whatever the stopping returns (a killed
    # child's 143 once became demo.sh's exit status: issue #19).
    local status=$?
    set +e
    postfix_private_stop
    if [ -n "$milter_pid" ]; then kill -TERM "$milter_pid" 2>/dev/null; wait "$milter_pid" || true; fi
    if [ -n "$web_pid" ]; then kill -TERM "$web_pid" 2>/dev/null; wait "$web_pid" || true; fi
    sink_stop
    pg_private_stop
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold= plain=; fi
step() { printf '\n%s$ %s%s\n' "$bold" "${*/#$root\//}" "$plain"; "$@"; }
heading() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
sql() { psql -X -q -h "$PG_DIR" -U postgres -d leadrouter "$@"; }

pg_private_start
pg_as_server_user "$PG_BIN/createdb" -h "$PG_DIR" -U postgres leadrouter
db="$PG_CONNINFO_BASE dbname=leadrouter"
sink_start

# The example configuration, pointed at the private servers, with leadweb
# on a loopback port and its link key.
mkdir -p "$work/conf"
cp -r conf/dealers.d "$work/conf/"
web_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
web_url="http://127.0.0.1:$web_port"
(umask 077 && openssl rand -hex 32 >"$work/conf/web.secret")
sed -e "s|^  database: .*|  database: \"$db\"|" \
    -e "s|^    socket: .*|    socket: \"unix:$work/milter.sock\"|" \
    -e "s|^    server: .*|    server: \"127.0.0.1:$SINK_PORT\"|" \
    -e "/^    user: /d" \
    -e "s|^  expose_dir: .*|  expose_dir: \"$(pwd)/fixtures/vehicles/expose\"|" \
    -e "s|^  automanager_url: |  web:\n    listen: \"127.0.0.1:$web_port\"\n    public_url: \"$web_url\"\n    secret_file: \"$work/conf/web.secret\"\n  automanager_url: |" \
    conf/leadrouter.yaml >"$work/conf/leadrouter.yaml"
# A second dealer that hands its leads to a pool the salespeople claim from.
sed -e "s|^id: mueller|id: nord|" -e "s|Autohaus Müller GmbH|Autohaus Nord GmbH|" \
    -e "s|Autohaus Müller – Anfragen|Autohaus Nord – Anfragen|" \
    -e "s|mueller@dein.auto|nord@dein.auto|; s|mueller-kiel@dein.auto|nord-kiel@dein.auto|" \
    -e "s|autohaus-mueller.example|autohaus-nord.example|g" \
    -e "/^pool:/,/^groups:/ s|^  enabled: false|  enabled: true|" \
    -e "/^pool:/,/^groups:/ s|^  oldest_only: true|  oldest_only: false|" \
    -e "/^pool:/,/^groups:/ s|^  notify_members: false|  notify_members: true|" \
    -e "/^groups:/,/^users:/ {/^groups:/!d}" -e "s|^groups:.*|groups: []\nusers:|" \
    -e "s|^    receives_leads: true|    receives_leads: false|" \
    conf/dealers.d/mueller.yaml >"$work/conf/dealers.d/nord.yaml"
# Müller gets the monthly report mail (off in the shipped example).
sed -i -e "/^reports:/,/^$/ s|^  monthly: false|  monthly: true|" "$work/conf/dealers.d/mueller.yaml"
config=$work/conf/leadrouter.yaml

heading "set-up: private PostgreSQL at $PG_DIR, smtp-sink on 127.0.0.1:$SINK_PORT"
step "$leadctl" migrate --config "$config"
step "$leadctl" check --config "$config"
step "$leadctl" vehicles import --config "$config" --dealer mueller fixtures/vehicles/mueller.csv

"$leadmilter" --config "$config" >"$output/leadmilter.log" 2>&1 &
milter_pid=$!
for _ in $(seq 50); do [ -S "$work/milter.sock" ] && break; sleep 0.1; done
postfix_private_start "127.0.0.1:$SINK_PORT" "unix:$work/milter.sock"
echo "leadmilter on unix:$work/milter.sock; Postfix on 127.0.0.1:$PF_PORT (smtpd_milters)"
"$leadweb" --config "$config" >"$output/leadweb.log" 2>&1 &
web_pid=$!
for _ in $(seq 50); do curl -sf "$web_url/healthz" >/dev/null && break; sleep 0.1; done
echo "leadweb on $web_url (the links in notices)"

heading "the day's mail arrives over SMTP (Postfix answers after leadmilter has stored it)"
send() { # FIXTURE FROM RCPT
    local answer
    answer=$(smtp_send "$2" "$3" "fixtures/mail/$1.eml")
    printf '  %-34s -> %-24s %s\n' "$1" "$3" "$answer"
}
send mobile-de-lead noreply@mobile.de mueller@dein.auto
send autoscout24-lead-alternative noreply@autoscout24.de mueller-kiel@dein.auto
send autoscout24-call-missed no-reply@rtm.autoscout24.com mueller@dein.auto
send adf-body-xml noreply@marktplatz-xy.example mueller@dein.auto
send website-form website@autohaus-mueller.example mueller@dein.auto
send website-tradein noreply@autohaus-mueller.example mueller@dein.auto
send person-plain jana.krueger@example.org mueller@dein.auto
send person-quoted-history paul.fischer@example.com mueller-kiel@dein.auto
send bulk-list-id forum@autoclub.example mueller@dein.auto
send bounce-return-path "" mueller@dein.auto
send auto-reply-auto-submitted tom.becker@example.net mueller@dein.auto
send spam-flag winner@lotto.example mueller@dein.auto
send person-plain lisa.wagner@example.org nord@dein.auto
sleep 2

heading "leadd assigns the leads and sends what is due now"
step "$leadd" --config "$config" --once
step "$leadctl" leads --config "$config" --dealer mueller

heading "a salesperson reacts, then the customer writes again (to the tracking address)"
read -r lead token assignee < <(sql -At -F ' ' -c \
    "SELECT l.id, l.token, l.assignee FROM leads l JOIN contacts c ON c.id = l.contact_id
      WHERE c.email = 'jana.krueger@example.org'")
step "$leadctl" respond --config "$config" --lead "$lead" --user "$assignee"
cat >"$work/reply.eml" <<MAIL
From: Jana Krüger <jana.krueger@example.org>
To: mueller+$token@dein.auto
Subject: Re: Golf GTI
Message-ID: <reply-1@example.org>
In-Reply-To: <p1@example.org>
Content-Type: text/plain; charset=utf-8

Danke für den Rückruf! Passt Samstag um 10 Uhr?
MAIL
printf '  %-34s -> %-24s %s\n' "customer reply" "mueller+$token@dein.auto" \
    "$(smtp_send jana.krueger@example.org "mueller+$token@dein.auto" "$work/reply.eml")"
sleep 1

heading "leadd's clock runs ahead, hour by hour, for three days"
for hour in $(seq 0 72); do
    "$leadd" --config "$config" --once --clock-offset $((hour * 3600)) >>"$output/leadd.log" 2>&1
done
echo "  72 simulated hours; log in ${output/#$root\//}/leadd.log"

heading "a salesperson answers a notice from the phone: „Erledigt“ as a reply command"
# The newest notice at the sink to the assignee of a lead that is still
# open, and its Reply-To: that user's own reply address for the lead.
notice= address= lead=
while read -r candidate token; do
    file=$(grep -l "^Reply-To: .*+r$token@" "$SINK_DIR"/* 2>/dev/null | tail -1 || true)
    if [ -n "$file" ]; then notice=$file lead=$candidate; break; fi
done < <(sql -At -F ' ' -c "SELECT l.id, k.token FROM reply_keys k JOIN leads l ON l.id = k.lead_id
                             WHERE l.state = 'assigned' AND k.user_id = l.assignee
                               AND l.dealer_id = 'mueller' ORDER BY l.id")
if [ -n "$notice" ]; then
    address=$(sed -n 's/^Reply-To: \(.*<\)\{0,1\}\([^<>]*@[^<>]*\)>\{0,1\}\r\{0,1\}$/\2/p' "$notice" | head -1)
    user=$(sed -n 's/^X-Rcpt-Args: <\([^>]*\)>.*/\1/p' "$notice" | head -1)
    cat >"$work/command.eml" <<MAIL
From: $user
To: $address
Subject: AW: Anfrage $lead
Message-ID: <command-1@autohaus-mueller.example>
Content-Type: text/plain; charset=utf-8

Erledigt, habe angerufen.

Von meinem iPhone gesendet
MAIL
    printf '  %-34s -> %-24s %s\n' "„Erledigt“ from $user" "$address" \
        "$(smtp_send "$user" "$address" "$work/command.eml")"
    sleep 1
    "$leadd" --config "$config" --once >>"$output/leadd.log" 2>&1 # sends the confirmation
    step "$leadctl" why --config "$config" --lead "$lead"
    answer=$(grep -l "^In-Reply-To: <command-1@autohaus-mueller.example>" "$SINK_DIR"/* | head -1 || true)
    [ -n "$answer" ] && cp "$answer" "$output/command-answer.eml" &&
        echo "  the answer to $user: ${output/#$root\//}/command-answer.eml"
else
    echo "  (no open lead with a notice to its assignee at the sink)"
fi

heading "a pool lead at Autohaus Nord claimed by reply command: „Übernehmen“"
# Weber's pool notice (notify_members: each member gets one, with a reply
# address of their own).
pool_lead=$(sql -At -c "SELECT id FROM leads WHERE dealer_id = 'nord' AND assignee = 'pool' ORDER BY id LIMIT 1")
pool_notice=$(grep -l "^X-Rcpt-Args: <j.weber@autohaus-nord.example>" "$SINK_DIR"/* 2>/dev/null |
    xargs -r grep -l "^Reply-To: .*nord+r" | tail -1 || true)
if [ -n "$pool_lead" ] && [ -n "$pool_notice" ]; then
    address=$(sed -n 's/^Reply-To: \(.*<\)\{0,1\}\([^<>]*@[^<>]*\)>\{0,1\}\r\{0,1\}$/\2/p' "$pool_notice" | head -1)
    cat >"$work/claim.eml" <<MAIL
From: j.weber@autohaus-nord.example
To: $address
Subject: AW: Neue Anfrage im Pool
Message-ID: <claim-1@autohaus-nord.example>
Content-Type: text/plain; charset=utf-8

Übernehmen
MAIL
    printf '  %-34s -> %-24s %s\n' "„Übernehmen“ from weber" "$address" \
        "$(smtp_send j.weber@autohaus-nord.example "$address" "$work/claim.eml")"
    sleep 1
    "$leadd" --config "$config" --once >>"$output/leadd.log" 2>&1 # sends the confirmation
    step "$leadctl" why --config "$config" --lead "$pool_lead"
else
    echo "  (no pool lead with a notice to weber at the sink)"
fi

heading "a salesperson answers through the link in a notice: „Beantwortet“ (leadweb)"
# The newest „Beantwortet“ link to the assignee of a lead still open.
link= link_lead= link_user=
while read -r candidate recipient label url; do
    [ "$label" = Beantwortet ] || continue
    state=$(sql -At -c "SELECT state FROM leads WHERE id = $candidate")
    if [ "$state" = assigned ]; then link=$url link_lead=$candidate link_user=$recipient; fi
done < <(python3 scripts/lib/notice-links.py "$SINK_DIR")
if [ -n "$link" ]; then
    echo "  the link in the newest notice to $link_user about lead $link_lead:"
    echo "  GET $link"
    curl -s "$link" | tee "$output/link-page.html" | sed -n 's/.*<h1>\(.*\)<\/h1>.*/  page: \1/p'
    echo "  POST (the page's one button)"
    curl -s -X POST "$link" | sed -n 's/.*<p class="done">\(.*\)<\/p>.*/  done: \1/p'
    step "$leadctl" why --config "$config" --lead "$link_lead"
else
    echo "  (no „Beantwortet“ link to an open lead at the sink)"
fi

heading "report: every message, its class, and the lead it made"
sql -c "SELECT m.id AS msg, m.kind, coalesce(m.reason, '') AS reason, m.lead_id AS lead,
               m.queue_id, m.classification->>'source' AS source
          FROM messages m ORDER BY m.id"
heading "report: each lead with its assignee and the rule that chose them"
sql -c "SELECT l.id AS lead, l.kind, l.source, l.location_id AS location,
               trim(coalesce(c.first_name,'') || ' ' || coalesce(c.last_name,'')) AS customer,
               coalesce(c.email, c.phone) AS contact, l.state, l.assignee, l.assigned_rule AS rule
          FROM leads l LEFT JOIN contacts c ON c.id = l.contact_id ORDER BY l.id"
heading "report: the mails that went out (to whom, when on the simulated clock, why)"
sql -c "SELECT o.id, o.kind, o.lead_id AS lead, array_to_string(o.recipients, ', ') AS recipient,
               to_char(e.due_at AT TIME ZONE 'Europe/Berlin', 'Dy DD.MM. HH24:MI') AS due,
               to_char(coalesce(e.send_at, o.created_at) AT TIME ZONE 'Europe/Berlin',
                       'Dy DD.MM. HH24:MI') AS sent_berlin,
               o.state
          FROM outbox o LEFT JOIN scheduled_events e ON e.id = (o.payload->>'event_id')::bigint
         ORDER BY coalesce(e.send_at, o.created_at), o.id"
echo "  (due: when the rule fires; sent: inside the working hours of conf/dealers.d/mueller.yaml"
echo "   for mails to users, level 1 at its deadline; the trade-in CC and"
echo "   unassignable notices go out at once)"
echo "  ($(ls "$SINK_DIR" | wc -l) messages reached smtp-sink: forwarded originals and the mails above)"

heading "report: the trade-in CC and its PDF"
cc=$(grep -l "X-Rcpt-Args: <ankauf@autohaus-mueller.example>" "$SINK_DIR"/* | head -1 || true)
if [ -n "$cc" ]; then
    cp "$cc" "$output/tradein-cc.eml"
    awk '/^Content-Type: application\/pdf/ {pdf=1; next}
         pdf && /^\r?$/ && !body {body=1; next}
         pdf && body && /^--/ {exit}
         pdf && body {print}' "$cc" | tr -d '\r' | base64 -d >"$output/tradein.pdf"
    echo "  CC mail: ${output/#$root\//}/tradein-cc.eml"
    echo "  PDF:     ${output/#$root\//}/tradein.pdf ($(qpdf --check "$output/tradein.pdf" >/dev/null && echo 'qpdf --check: ok'))"
    pdftotext -layout "$output/tradein.pdf" - | sed -n '1,18p' | sed 's/^/    /'
else
    echo "  no trade-in CC arrived (see ${output/#$root\//}/leadd.log)"
fi

heading "the response-time report (leadctl report): this week, then per salesperson"
today=$(date +%F)
step "$leadctl" report --config "$config" --dealer mueller --from "$today" --to "$(date -d '+3 days' +%F)"
step "$leadctl" report --config "$config" --dealer mueller --from "$today" --to "$(date -d '+3 days' +%F)" \
    --by user --format csv

heading "the monthly report mail: leadd in daemon mode, its clock on the 4th of next month"
# 10:00 at the dealer (Europe/Berlin), inside its opening hours.
report_day=$(TZ=Europe/Berlin date -d "$(date -d "$(date +%Y-%m-15) +1 month" +%Y-%m-04) 10:00" +%s)
"$leadd" --config "$config" --clock-offset $((report_day - $(date +%s))) --poll-interval 1 \
    >>"$output/leadd.log" 2>&1 &
report_pid=$!
report_mail=
for _ in $(seq 120); do
    report_mail=$(grep -l "Monatsbericht-20" "$SINK_DIR"/* 2>/dev/null | head -1 || true)
    [ -n "$report_mail" ] && break
    sleep 0.5
done
kill -TERM "$report_pid" && wait "$report_pid" || true
if [ -n "$report_mail" ]; then
    mkdir -p "$output/monthly-report"
    cp "$report_mail" "$output/monthly-report/report.eml"
    /usr/bin/python3 tests/report/check_report_mail.py "$report_mail" "$output/monthly-report" \
        "Monatsbericht" "Eingegangene Anfragen" && echo "  the PNGs decode (800 x 400), the PDF passes qpdf --check"
    echo "  mail, text, charts and PDF: ${output/#$root\//}/monthly-report/"
    ls "$output/monthly-report" | sed 's/^/    /'
    sed -n '1,16p' "$output/monthly-report/report.txt" | sed 's/^/    /'
else
    echo "  no report mail arrived (see ${output/#$root\//}/leadd.log)"
fi

heading "report: leadmilter's journal lines (stderr here; the journal under systemd)"
sed -n '1,12p' "$output/leadmilter.log" | sed 's/^/  /'
echo
echo "done: everything started here is stopped on exit; outputs stay in ${output/#$root\//}/"
