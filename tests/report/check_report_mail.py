#!/usr/bin/env python3
"""Takes a monthly report mail apart (issue #18) and checks what a mail
client and a PDF reader would show: the HTML names three inline PNG charts
by cid, each decodes (Pillow) to 800 x 400 pixels, passes pngcheck and is
not blank; the PDF passes qpdf --check and pdftotext shows the expected
phrases with their umlauts. The parts are written to OUT_DIR.

usage: check_report_mail.py MAIL OUT_DIR PHRASE...
Exit 0 when everything holds, 1 with the reasons otherwise."""

import email
import email.policy
import os
import subprocess
import sys

from PIL import Image


def main():
    mail_path, out_dir, phrases = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    with open(mail_path, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    problems = []
    html = message.get_body(preferencelist=("html",))
    text = message.get_body(preferencelist=("plain",))
    if html is None or text is None:
        problems.append("no text and HTML body")
        html_text = ""
    else:
        html_text = html.get_content()
        with open(os.path.join(out_dir, "report.txt"), "w") as f:
            f.write(text.get_content())
        with open(os.path.join(out_dir, "report.html"), "w") as f:
            f.write(html_text)
    pngs, pdfs = [], []
    for part in message.walk():
        if part.get_content_type() == "image/png":
            pngs.append(part)
        elif part.get_content_type() == "application/pdf":
            pdfs.append(part)
    if len(pngs) != 3:
        problems.append(f"{len(pngs)} PNG parts, expected 3")
    for part in pngs:
        cid = part["Content-ID"].strip("<>")
        if f"cid:{cid}" not in html_text:
            problems.append(f"the HTML does not show {cid}")
        if part.get_content_disposition() != "inline":
            problems.append(f"{cid} is not inline")
        path = os.path.join(out_dir, part.get_filename())
        with open(path, "wb") as f:
            f.write(part.get_content())
        with Image.open(path) as image:
            image.load()
            if image.size != (800, 400):
                problems.append(f"{path} is {image.size}, expected (800, 400)")
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            if colours is not None and len(colours) < 4:
                problems.append(f"{path} is nearly blank ({len(colours)} colours)")
        check = subprocess.run(["pngcheck", path], capture_output=True, text=True)
        if check.returncode != 0:
            problems.append(f"pngcheck {path}: {check.stdout.strip()}")
    if len(pdfs) != 1:
        problems.append(f"{len(pdfs)} PDF attachments, expected 1")
    else:
        path = os.path.join(out_dir, pdfs[0].get_filename())
        with open(path, "wb") as f:
            f.write(pdfs[0].get_content())
        check = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
        if check.returncode != 0:
            problems.append(f"qpdf --check {path}: {check.stdout.strip()}")
        shown = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                               text=True).stdout
        with open(path + ".txt", "w") as f:
            f.write(shown)
        flat = " ".join(shown.split())
        for phrase in phrases:
            if phrase not in flat:
                problems.append(f"the PDF does not show {phrase!r}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
