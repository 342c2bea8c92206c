-- Mail to recipients that are not ours passes untouched: accepted at the
-- end of the headers, so its body never reaches the milter.
dofile(script_dir .. "/common.lua")
local conn = open_connection()
send_message(conn, "<someone@example.org>", {"<info@other-dealer.example>"}, {
    {"From", "someone@example.org"},
    {"Subject", "Hallo"},
})
expect_reply(conn, SMFIR_ACCEPT, "eoh of foreign mail")
mt.disconnect(conn)
