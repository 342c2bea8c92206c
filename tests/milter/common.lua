-- Shared steps of the miltertest scripts. The test program defines
-- `socket` (-D socket=unix:/path) and starts leadmilter itself.
-- miltertest does not print the message of a Lua error: say it first.
function fail(message)
    mt.echo("FAIL: " .. message)
    error(message)
end

function check(result, what)
    if result ~= nil then
        fail(what .. " failed: " .. tostring(result))
    end
end

function expect_reply(conn, wanted, what)
    local reply = mt.getreply(conn)
    if reply ~= wanted then
        fail(what .. ": unexpected milter reply " .. tostring(reply))
    end
end

function open_connection()
    -- Longer than the milter's own 10 s wait for a message slot (busy.lua).
    mt.set_timeout(30)
    local conn = mt.connect(socket, 40, 0.25)
    if conn == nil then
        fail("cannot connect to leadmilter at " .. socket)
    end
    return conn
end

-- One message: envelope, headers (a list of {name, value}), body; with
-- sasl_login, Postfix's {auth_authen} macro as after SMTP AUTH (a later
-- macro call for the same stage would replace the first: one call).
function send_message(conn, from, recipients, headers, body, sasl_login)
    local queue_id = "MT" .. tostring(os.time())
    if sasl_login then
        mt.macro(conn, SMFIC_MAIL, "i", queue_id, "{auth_authen}", sasl_login)
    else
        mt.macro(conn, SMFIC_MAIL, "i", queue_id)
    end
    check(mt.mailfrom(conn, from), "mailfrom")
    -- MAIL, RCPT, headers and body chunks get no reply: leadmilter
    -- negotiates SMFIP_NR_MAIL/RCPT/HDR/BODY away.
    for _, rcpt in ipairs(recipients) do
        check(mt.rcptto(conn, rcpt), "rcptto " .. rcpt)
    end
    for _, header in ipairs(headers) do
        check(mt.header(conn, header[1], header[2]), "header " .. header[1])
    end
    check(mt.eoh(conn), "eoh")
end
