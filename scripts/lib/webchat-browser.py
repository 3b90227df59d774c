#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol (on a pipe, standard library only) like a visitor would:
opens a page that embeds the webchat widget, clicks the chat button, types a message, sends it, waits until
the expected reply text shows in the page, and saves a PNG screenshot. Exit 0 when the text appeared.

usage: webchat-browser.py --url URL --message TEXT --expect TEXT --screenshot PATH [--timeout SECONDS]
"""
import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self):
        binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not binary:
            sys.exit("chromium not found: apt-get install chromium")
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # Keep the child's ends above 4 so dup2 onto 3 and 4 cannot clobber them.
        to_child_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        from_child_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)

        def preexec():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self.profile = tempfile.mkdtemp(prefix="webchat-chromium-")
        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=preexec, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.out = os.fdopen(to_child_w, "wb", buffering=0)
        self.inp = os.fdopen(from_child_r, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def read_message(self):
        while b"\0" not in self.buffer:
            chunk = self.inp.read(65536)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.out.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        return result.get("result", {}).get("value")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--message", required=True)
    parser.add_argument("--expect", required=True)
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()
    browser = Browser()
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": 400, "height": 720, "deviceScaleFactor": 1, "mobile": True})
        browser.call("Page.enable")
        browser.call("Page.navigate", {"url": args.url})
        deadline = time.time() + args.timeout
        while time.time() < deadline and not browser.evaluate("!!(window.WoodstockWebchat && document.querySelector('.wswc-button'))"):
            time.sleep(0.1)
        # As a visitor: open the chat, type, press Send.
        browser.evaluate("document.querySelector('.wswc-button').click()")
        browser.evaluate("document.querySelector('.wswc-input').value = " + json.dumps(args.message))
        browser.evaluate("document.querySelector('.wswc-send').click()")
        found = False
        while time.time() < deadline:
            text = browser.evaluate("document.querySelector('.wswc-log') ? document.querySelector('.wswc-log').innerText : ''") or ""
            if args.expect in text:
                found = True
                break
            time.sleep(0.1)
        shot = browser.call("Page.captureScreenshot", {"format": "png"})
        os.makedirs(os.path.dirname(os.path.abspath(args.screenshot)), exist_ok=True)
        with open(args.screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        log = browser.evaluate("document.querySelector('.wswc-log') ? document.querySelector('.wswc-log').innerText : ''")
        print(json.dumps({"found": found, "log": log}))
        sys.exit(0 if found else 1)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
