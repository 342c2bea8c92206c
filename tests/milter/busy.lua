-- Every message slot is taken (system.milter.max_messages): after waiting
-- its time this message gets a reply code (451 4.3.2) instead of being
-- parsed, and its sender retries.
dofile(script_dir .. "/common.lua")
local conn = open_connection()
send_message(conn, "<later@example.org>", {"<mueller@dein.auto>"}, {
    {"From", "Later <later@example.org>"},
    {"Subject", "Anfrage"},
})
expect_reply(conn, SMFIR_CONTINUE, "eoh")
check(mt.bodystring(conn, "Ist der Golf noch da?\r\n"), "body")
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_REPLYCODE, "eom while every slot is taken")
mt.disconnect(conn)
