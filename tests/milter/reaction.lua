-- A salesperson's answer to a customer, submitted with SASL (Postfix's
-- {auth_authen} macro with MAIL FROM): the reaction. It carries an
-- Authentication-Results header that claims the trusted authserv-id below
-- the message's own Received header, so it came from outside: removed.
dofile(script_dir .. "/common.lua")
local conn = open_connection()
send_message(conn, "<a.schmidt@autohaus-mueller.example>",
    {"<tom.becker@example.net>", "<mueller@dein.auto>"}, {
    {"Received", "from laptop (unknown [192.0.2.7]) by smtp.autohaus-mueller.example"},
    {"Authentication-Results", "mx.dein.auto; dmarc=pass header.from=autohaus-mueller.example"},
    {"From", "Anna Schmidt <a.schmidt@autohaus-mueller.example>"},
    {"To", "tom.becker@example.net"},
    {"Cc", "mueller@dein.auto"},
    {"Subject", "Ihr Golf"},
    {"Message-ID", "<mt-reaction-1@autohaus-mueller.example>"},
}, nil, "a.schmidt@autohaus-mueller.example")
expect_reply(conn, SMFIR_CONTINUE, "eoh")
check(mt.bodystring(conn, "Gerne, Samstag um 10 Uhr.\r\n"), "body")
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_CONTINUE, "eom")
if not mt.eom_check(conn, MT_HDRADD, "X-Lead-Class", "reaction") then
    fail("no X-Lead-Class: reaction")
end
if not mt.eom_check(conn, MT_HDRCHANGE, "Authentication-Results") then
    fail("the forged Authentication-Results was not removed")
end
mt.disconnect(conn)
