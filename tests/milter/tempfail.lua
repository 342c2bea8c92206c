-- The database is unreachable: the end of message answers with a reply code
-- (451 4.3.0) so
-- the sending server keeps the message and retries.
dofile(script_dir .. "/common.lua")
local conn = open_connection()
send_message(conn, "<jana@example.org>", {"<mueller@dein.auto>"}, {
    {"From", "Jana <jana@example.org>"},
    {"Subject", "Frage"},
})
expect_reply(conn, SMFIR_CONTINUE, "eoh")
check(mt.bodystring(conn, "Ist der Golf noch da?\r\n"), "body")
check(mt.eom(conn), "eom")
-- A reply code instead of continue/accept: the code itself (451 4.3.0)
-- is asserted where Postfix answers the SMTP client (postfix_e2e_test).
expect_reply(conn, SMFIR_REPLYCODE, "eom without database")
mt.disconnect(conn)
