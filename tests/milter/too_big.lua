-- A message over system.milter.max_message_size is refused with 552 (the
-- test configures 64K); the milter drops what it buffered once the limit
-- is passed.
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
check(mt.bodystring(conn, chunk), "second body chunk")
-- Body chunks get no reply (SMFIP_NR_BODY): the refusal comes at the end.
check(mt.eom(conn), "eom")
expect_reply(conn, SMFIR_REPLYCODE, "end of a message over the limit")
mt.disconnect(conn)
