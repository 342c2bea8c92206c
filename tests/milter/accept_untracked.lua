-- on_db_error: accept and the database away: the message is accepted and
-- still forwarded, untracked (no X-Lead-Id), and the milter logs an err line.
dofile(script_dir .. "/common.lua")
local conn = open_connection()
send_message(conn, "<jana@example.org>", {"<mueller@dein.auto>"}, {
    {"From", "Jana <jana@example.org>"},
    {"Subject", "Frage"},
})
expect_reply(conn, SMFIR_CONTINUE, "eoh")
check(mt.bodystring(conn, "Ist der Golf noch da?\r\n"), "body")
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_CONTINUE, "eom without database, on_db_error: accept")
if not mt.eom_check(conn, MT_RCPTADD, "<verkauf@autohaus-mueller.example>") then
    fail("forward target not added")
end
if not mt.eom_check(conn, MT_HDRADD, "X-Lead-Class", "lead") then
    fail("no X-Lead-Class: lead")
end
if mt.eom_check(conn, MT_HDRADD, "X-Lead-Id") then
    fail("an X-Lead-Id although nothing was stored")
end
mt.disconnect(conn)
