#!/usr/bin/env python3
"""Opens pages of a running openbct service in headless Chromium as a signed-in user, saves a
screenshot of each and reports facts read from the live DOM (after the pages' JavaScript ran).
Talks the Chrome DevTools Protocol over --remote-debugging-pipe (no extra Python packages).

usage: service_browser.py BASE_URL SESSION_COOKIE OUTDIR PATH[=NAME] ...
prints JSON: {NAME: {"title", "rows", "reportStatus", "findings", "sliceLabel", "text", "png"}}
"""
import base64
import json
import os
import subprocess
import sys
import time

FACTS = """JSON.stringify({
  title: document.title,
  rows: document.querySelectorAll('tbody tr').length,
  reportStatus: (document.getElementById('report-status') || {}).textContent || null,
  findings: document.querySelectorAll('#findings tr').length,
  sliceLabel: (document.querySelector('.slice-label') || {}).textContent || null,
  externalResources: Array.from(document.querySelectorAll('script[src],link[href],img[src]'))
      .map(e => e.src || e.href).filter(u => u && !u.startsWith(location.origin) && !u.startsWith('data:')).length,
  text: document.body.innerText.slice(0, 4000)
})"""


class Browser:
    def __init__(self):
        self.to_chrome_r, self.to_chrome_w = os.pipe()
        self.from_chrome_r, self.from_chrome_w = os.pipe()
        self.proc = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--window-size=1280,900", "--no-first-run", "about:blank"],
            pass_fds=(3, 4, self.to_chrome_r, self.from_chrome_w),  # 3, 4 survive the child's fd cleanup
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=lambda: (os.dup2(self.to_chrome_r, 3), os.dup2(self.from_chrome_w, 4)))
        os.close(self.to_chrome_r)
        os.close(self.from_chrome_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []

    def _read_message(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_chrome_r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome_w, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, name, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == name:
                    del self.events[i]
                    return e
            self.events.append(self._read_message())
        raise RuntimeError(f"no {name} within {timeout} s")

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        self.proc.wait(timeout=20)


def main():
    base, cookie, out = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    pages = [a.split("=", 1) if "=" in a else (a, a.strip("/").replace("/", "-")) for a in sys.argv[4:]]
    browser = Browser()
    result = {}
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.send("Page.enable", session=session)
        browser.send("Network.enable", session=session)
        browser.send("Network.setCookie", {"name": "openbct_session", "value": cookie, "url": base,
                                           "httpOnly": True, "sameSite": "Strict"}, session=session)
        for path, name in pages:
            browser.events.clear()
            browser.send("Page.navigate", {"url": base + path}, session=session)
            browser.wait_event("Page.loadEventFired")
            time.sleep(0.5)  # the slice viewer swaps its first image in after DOMContentLoaded
            facts = json.loads(browser.send("Runtime.evaluate", {"expression": FACTS, "returnByValue": True},
                                            session=session)["result"]["value"])
            shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
            png = os.path.join(out, f"{name}.png")
            with open(png, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            facts["png"] = png
            result[name] = facts
    finally:
        browser.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
