#!/usr/bin/python3
"""Opens a leadweb link in headless Chromium as a salesperson's phone would,
checks the confirmation page, presses its one button and checks the result
(issue #15). Fails on any console error (a Content-Security-Policy
violation shows up there) and when nothing or something else happened.

usage: act_in_browser.py URL EXPECTED_BEFORE EXPECTED_AFTER SCREENSHOT_DIR
Exit status 0 when all held; the reason on stderr otherwise.
"""
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


def main(url, expected_before, expected_after, screenshots):
    profile = tempfile.mkdtemp(prefix="leadweb-chromium-")
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--window-size=390,844",  # a phone
                     "--user-data-dir=" + profile):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    problems = []
    try:
        driver.set_page_load_timeout(30)
        driver.get(url)
        heading = driver.find_element(By.TAG_NAME, "h1").text
        if expected_before not in driver.page_source:
            problems.append(f"confirmation page lacks {expected_before!r} (h1: {heading!r})")
        driver.save_screenshot(f"{screenshots}/confirm.png")
        buttons = driver.find_elements(By.CSS_SELECTOR, "form[method=post] button[type=submit]")
        if len(buttons) != 1:
            problems.append(f"{len(buttons)} buttons instead of one")
        else:
            buttons[0].click()
            WebDriverWait(driver, 20).until(
                expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"),
                                                                  "Erledigt"))
            if expected_after not in driver.page_source:
                problems.append(f"result page lacks {expected_after!r}")
            driver.save_screenshot(f"{screenshots}/done.png")
        for entry in driver.get_log("browser"):
            if entry.get("level") == "SEVERE":
                problems.append("console error: " + entry.get("message", ""))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
