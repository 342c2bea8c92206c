# Sourced by scripts: a private Postfix 3.7 instance (own config_directory,
# queue and data directory under a temporary directory, smtpd on a free
# 127.0.0.1 port, all mail relayed to one next hop, log file through
# postlogd) and smtp-sink as the world outside. Mirrors the tests'
# PostfixInstance (tests/support/postfix_instance.cpp).
#   postfix_private_start RELAY MILTERS  sets PF_DIR, PF_PORT; with PF_CHROOT=y the
#                                        services run chrooted in the queue directory
#                                        as in Debian's stock master.cf
#   postfix_private_stop
#   sink_start                           sets SINK_DIR, SINK_PORT (one file per message)
#   sink_stop
#   smtp_send FROM RCPT FILE             one message over SMTP; prints the final reply

free_port() {
    local port
    for port in $(shuf -i 20000-60000 -n 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
    return 1
}

postfix_private_start() { # RELAY_HOST:PORT MILTERS
    local relay=$1 milters=$2
    PF_DIR=$(mktemp -d "${TMPDIR:-/tmp}/leadrouter-postfix-XXXXXX")
    chmod 755 "$PF_DIR"
    mkdir -p "$PF_DIR/etc" "$PF_DIR/queue" "$PF_DIR/data"
    chown postfix:postfix "$PF_DIR/data"
    PF_PORT=$(free_port)
    cat >"$PF_DIR/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF_DIR/queue
data_directory = $PF_DIR/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.leadrouter.demo
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = dein.auto
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
default_transport = smtp:[${relay%:*}]:${relay##*:}
relay_transport = \$default_transport
alias_maps =
alias_database =
local_recipient_maps =
maillog_file_prefixes = $PF_DIR
maillog_file = $PF_DIR/maillog
smtputf8_enable = no
smtpd_tls_security_level = none
smtp_tls_security_level = none
smtpd_milters = $milters
milter_default_action = tempfail
milter_protocol = 6
CF
    # The chroot column: "c" is y in Debian's master.cf (smtpd, cleanup and
    # most others), n there for qmgr, proxymap and postlog.
    local c=n
    if [ "${PF_CHROOT:-n}" = y ]; then
        c=y
        # What Debian's configure-instance.sh copies into the chroot.
        mkdir -p "$PF_DIR/queue/etc"
        local file
        for file in localtime services resolv.conf hosts nsswitch.conf host.conf; do
            [ -e "/etc/$file" ] && cp -L "/etc/$file" "$PF_DIR/queue/etc/"
        done
    fi
    {
        echo "127.0.0.1:$PF_PORT inet n - $c - - smtpd"
        for service in "pickup unix n - $c 60 1 pickup" "cleanup unix n - $c - 0 cleanup" \
            "qmgr unix n - n 300 1 qmgr" "rewrite unix - - $c - - trivial-rewrite" \
            "bounce unix - - $c - 0 bounce" "defer unix - - $c - 0 bounce" \
            "trace unix - - $c - 0 bounce" "verify unix - - $c - 1 verify" \
            "flush unix n - $c 1000? 0 flush" "proxymap unix - - n - - proxymap" \
            "smtp unix - - $c - - smtp" "relay unix - - $c - - smtp" \
            "showq unix n - $c - - showq" "error unix - - $c - - error" \
            "retry unix - - $c - - error" "discard unix - - $c - - discard" \
            "anvil unix - - $c - 1 anvil" "scache unix - - $c - 1 scache" \
            "postlog unix-dgram n - n - 1 postlogd"; do
            echo "$service"
        done
    } >"$PF_DIR/etc/master.cf"
    /usr/sbin/postfix -c "$PF_DIR/etc" start >/dev/null
}

postfix_private_stop() {
    [ -n "${PF_DIR:-}" ] && [ -d "$PF_DIR" ] || return 0
    /usr/sbin/postfix -c "$PF_DIR/etc" stop >/dev/null 2>&1 || true
    local i
    for i in $(seq 50); do
        [ -f "$PF_DIR/queue/pid/master.pid" ] && kill -0 "$(cat "$PF_DIR/queue/pid/master.pid")" \
            2>/dev/null || break
        sleep 0.2
    done
    rm -rf "$PF_DIR"
    PF_DIR=
}

sink_start() {
    SINK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/leadrouter-sink-XXXXXX")
    SINK_PORT=$(free_port)
    /usr/sbin/smtp-sink -u "$(id -un)" -d "$SINK_DIR/%Y%m%d%H%M%S." "127.0.0.1:$SINK_PORT" 64 \
        >/dev/null 2>&1 &
    SINK_PID=$!
    local i
    for i in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$SINK_PORT") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

sink_stop() {
    # wait reports the sink's own end (143: the TERM we sent), not a failure.
    if [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null; then
        wait "$SINK_PID" 2>/dev/null || true
    fi
    [ -n "${SINK_DIR:-}" ] && rm -rf "$SINK_DIR"
    SINK_PID= SINK_DIR=
}

smtp_reply() { # reads one (multi-line) reply from fd 3 into SMTP_REPLY
    local line
    while IFS= read -r -t 60 line <&3; do
        line=${line%$'\r'}
        [ "${line:3:1}" = "-" ] || break
    done
    SMTP_REPLY=$line
}

smtp_send() { # FROM RCPT FILE
    exec 3<>"/dev/tcp/127.0.0.1/$PF_PORT"
    local answer=
    smtp_step() { # [COMMAND]: sends it, reads the reply; false unless 2xx/3xx
        [ $# -eq 0 ] || printf '%s\r\n' "$1" >&3
        smtp_reply
        case $SMTP_REPLY in 2* | 3*) return 0 ;; *) answer=$SMTP_REPLY; return 1 ;; esac
    }
    if smtp_step && smtp_step "EHLO sender.leadrouter.demo" && smtp_step "MAIL FROM:<$1>" &&
        smtp_step "RCPT TO:<$2>" && smtp_step "DATA"; then
        sed -e 's/\r$//' -e 's/^\./../' -e 's/$/\r/' "$3" >&3
        printf '.\r\n' >&3
        smtp_reply
        answer=$SMTP_REPLY
    fi
    printf 'QUIT\r\n' >&3 2>/dev/null && smtp_reply
    exec 3>&-
    echo "$answer"
}
