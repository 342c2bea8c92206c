#!/usr/bin/python3
"""Prints the one-click links in the notices smtp-sink dumped (demo.sh):
one line per link, "<lead> <recipient> <label> <url>", oldest mail first.

usage: notice-links.py SINK_DIR
"""
import email
import email.policy
import pathlib
import re
import sys

subject_lead = re.compile(r"Anfrage (\d+)")
link_line = re.compile(r"^(Übernehmen|Antworten|Beantwortet|Wiedervorlage|Neu zuweisen): (\S+)$")

for path in sorted(pathlib.Path(sys.argv[1]).iterdir()):
    raw = path.read_bytes()
    recipient = re.search(rb"^X-Rcpt-Args: <([^>]*)>", raw, re.M)
    start = raw.find(b"\n", raw.find(b"X-Rcpt-Args")) + 1 if recipient else 0
    message = email.message_from_bytes(raw[start:], policy=email.policy.default)
    lead = subject_lead.search(str(message.get("Subject", "")))
    body = message.get_body(preferencelist=("plain",))
    if not (recipient and lead and body):
        continue
    for line in body.get_content().splitlines():
        found = link_line.match(line.strip())
        if found:
            print(lead.group(1), recipient.group(1).decode(), found.group(1).replace(" ", "_"),
                  found.group(2))
