-- A marketplace lead to a dealer mailbox: stored, X-Lead-Id and
-- X-Lead-Class added, the mailbox replaced by the forward target, and a
-- forged X-Lead-Class from outside removed.
dofile(script_dir .. "/common.lua")
local conn = open_connection()
send_message(conn, "<noreply@mobile.de>", {"<mueller@dein.auto>"}, {
    {"From", "mobile.de <noreply@mobile.de>"},
    {"To", "mueller@dein.auto"},
    {"Subject", "Anfrage"},
    {"Message-ID", "<mt-lead-1@mobile.de>"},
    {"X-Lead-Class", "forged"},
})
expect_reply(conn, SMFIR_CONTINUE, "eoh of our mail")
check(mt.bodystring(conn, "Inserat-ID: 412345678\r\nVorname: Jana\r\nNachname: Krueger\r\n" ..
                          "E-Mail: jana@example.org\r\nNachricht: Noch da?\r\n"), "body")
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_CONTINUE, "eom")
if not mt.eom_check(conn, MT_HDRADD, "X-Lead-Class", "lead") then
    fail("no X-Lead-Class: lead")
end
if not mt.eom_check(conn, MT_HDRADD, "X-Lead-Id") then
    fail("no X-Lead-Id")
end
if not mt.eom_check(conn, MT_HDRCHANGE, "X-Lead-Class") then
    fail("the forged X-Lead-Class was not removed")
end
if not mt.eom_check(conn, MT_RCPTADD, "<verkauf@autohaus-mueller.example>") then
    fail("forward target not added")
end
if not mt.eom_check(conn, MT_RCPTDELETE, "<mueller@dein.auto>") then
    fail("mailbox not removed")
end
mt.echo("lead id " .. tostring(mt.getheader(conn, "X-Lead-Id", 0)))
mt.disconnect(conn)
