-- The same answer from an outside client without SASL, its only "proof"
-- an Authentication-Results header of an authserv-id nobody trusts: not
-- a reaction, the lead stays as it was.
dofile(script_dir .. "/common.lua")
local conn = open_connection()
send_message(conn, "<a.schmidt@autohaus-mueller.example>",
    {"<tom.becker@example.net>", "<mueller@dein.auto>"}, {
    {"Authentication-Results", "mx.attacker.example; dmarc=pass header.from=autohaus-mueller.example"},
    {"From", "Anna Schmidt <a.schmidt@autohaus-mueller.example>"},
    {"To", "tom.becker@example.net"},
    {"Cc", "mueller@dein.auto"},
    {"Subject", "Ihr Golf"},
    {"Message-ID", "<mt-forged-1@autohaus-mueller.example>"},
})
expect_reply(conn, SMFIR_CONTINUE, "eoh")
check(mt.bodystring(conn, "Kein Interesse mehr.\r\n"), "body")
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_CONTINUE, "eom")
if not mt.eom_check(conn, MT_HDRADD, "X-Lead-Class", "unassignable; reason=unverified_sender") then
    fail("no X-Lead-Class: unassignable; reason=unverified_sender")
end
if mt.eom_check(conn, MT_HDRCHANGE, "Authentication-Results") then
    fail("an untrusted Authentication-Results was touched")
end
mt.disconnect(conn)
