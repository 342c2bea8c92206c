-- wrk script for leadweb_bench: every request POSTs another pool lead's
-- claim link (one token a line in the file named by the first argument),
-- threads taking every n-th token so that no link is used twice.
local threads = 0

function setup(thread)
    thread:set("thread_number", threads)
    threads = threads + 1
end

function init(args)
    tokens = {}
    for line in io.lines(args[1]) do
        tokens[#tokens + 1] = line
    end
    step = tonumber(args[2])
    host = args[3]
    next_index = thread_number + 1
end

function request()
    local token = tokens[next_index] or "exhausted"
    next_index = next_index + step
    return wrk.format("POST", "/a/" .. token,
                      {["Host"] = host, ["Content-Type"] = "application/x-www-form-urlencoded"},
                      "")
end
