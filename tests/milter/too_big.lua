-- A message over system.milter.max_message_size is refused with 552 (the
-- test configures 64K) and the milter keeps no more of it.
dofile(script_dir .. "/common.lua")
local conn = open_connection()
send_message(conn, "<big@example.org>", {"<mueller@dein.auto>"}, {
    {"From", "big@example.org"},
    {"Subject", "gross"},
})
expect_reply(conn, SMFIR_CONTINUE, "eoh")
local line = string.rep("x", 998) .. "\r\n"
local chunk = string.rep(line, 60)
check(mt.bodystring(conn, chunk), "first body chunk")
expect_reply(conn, SMFIR_CONTINUE, "first chunk")
check(mt.bodystring(conn, chunk), "second body chunk")
expect_reply(conn, SMFIR_REPLYCODE, "second chunk over the limit")
mt.disconnect(conn)
