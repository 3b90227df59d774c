/// The Chrome DevTools Protocol driver of ``TenantBrowserTests``: Python 3 (standard library only) talking to
/// headless Chromium over `--remote-debugging-pipe`, so no WebSocket module or driver binary is needed.
enum TenantBrowserScript {
    static let source = #"""
        import json, os, subprocess, sys, tempfile, time, base64

        class Browser:
            def __init__(self, width=412, height=915):
                r1, w1 = os.pipe(); r2, w2 = os.pipe()
                self.profile = tempfile.mkdtemp(prefix="cdp-")
                def child():
                    a = os.dup(r1); b = os.dup(w2)
                    os.dup2(a, 3, inheritable=True); os.dup2(b, 4, inheritable=True)
                self.proc = subprocess.Popen(
                    [os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium"), "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + self.profile,
                     f"--window-size={width},{height}", "about:blank"],
                    preexec_fn=child, pass_fds=(3, 4) if False else (), close_fds=False,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                os.close(r1); os.close(w2)
                self.out = os.fdopen(w1, "wb", buffering=0); self.inp = os.fdopen(r2, "rb", buffering=0)
                self.buf = b""; self.next_id = 0; self.events = []
                targets = self.call("Target.getTargets")["targetInfos"]
                page = [t for t in targets if t["type"] == "page"][0]
                self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
                self.call("Page.enable", session=True); self.call("Runtime.enable", session=True)
                self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height, deviceScaleFactor=1, mobile=True)

            def read(self):
                while b"\0" not in self.buf:
                    chunk = self.inp.read(65536)
                    if not chunk: raise RuntimeError("chromium closed the pipe")
                    self.buf += chunk
                msg, self.buf = self.buf.split(b"\0", 1)
                return json.loads(msg)

            def call(self, method, session=False, **params):
                self.next_id += 1; mid = self.next_id
                msg = {"id": mid, "method": method, "params": params}
                if session: msg["sessionId"] = self.session
                self.out.write(json.dumps(msg).encode() + b"\0")
                while True:
                    m = self.read()
                    if m.get("id") == mid:
                        if "error" in m: raise RuntimeError(f"{method}: {m['error']}")
                        return m.get("result", {})
                    self.events.append(m)

            def wait_event(self, name, timeout=20):
                deadline = time.time() + timeout
                while time.time() < deadline:
                    for i, e in enumerate(self.events):
                        if e.get("method") == name:
                            del self.events[i]; return e
                    self.events.append(self.read())
                raise RuntimeError("timeout waiting for " + name)

            def eval(self, expression):
                r = self.call("Runtime.evaluate", session=True, expression=expression, awaitPromise=True, returnByValue=True)
                if "exceptionDetails" in r: raise RuntimeError(str(r["exceptionDetails"]))
                return r["result"].get("value")

            def goto(self, url):
                self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
                self.call("Page.navigate", session=True, url=url)
                self.wait_event("Page.loadEventFired")

            def wait_for(self, expression, timeout=20):
                deadline = time.time() + timeout
                while time.time() < deadline:
                    try:
                        if self.eval(expression): return True
                    except RuntimeError:
                        pass  # the page is navigating: its document is not there yet
                    time.sleep(0.1)
                raise RuntimeError("timeout: " + expression)

            def screenshot(self, path):
                data = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True)["data"]
                with open(path, "wb") as f: f.write(base64.b64decode(data))

            def close(self):
                try: self.call("Browser.close")
                except Exception: pass
                self.proc.wait(timeout=10)


        def main():
            base, email, password, conversation, outdir, marker = sys.argv[1:7]
            steps = []
            def step(name, ok=True, detail=""):
                steps.append({"step": name, "ok": bool(ok), "detail": detail})
                print(json.dumps(steps[-1]), flush=True)
            b = Browser()
            try:
                b.goto(base + "/tenant/signup")
                step("sign-up page", b.eval("document.body.innerText.includes('Create your account')"))
                b.screenshot(os.path.join(outdir, "onboarding-account.png"))
                b.goto(base + "/tenant/login")
                step("login page", b.eval("document.body.innerText.includes('Log in to your account')"))
                b.eval("document.getElementById('email').value = %s" % json.dumps(email))
                b.eval("document.getElementById('password').value = %s" % json.dumps(password))
                b.screenshot(os.path.join(outdir, "tenant-login.png"))
                b.eval("document.querySelector('form[action=\"/tenant/login/password\"]').submit()")
                b.wait_for("location.pathname === '/tenant' && document.body.innerText.includes('Integrations')")
                step("logged in", True, b.eval("document.querySelector('h1').innerText"))
                b.screenshot(os.path.join(outdir, "tenant-overview.png"))
                b.goto(base + "/tenant/onboarding/connect")
                step("onboarding connect", b.eval("document.body.innerText.includes('Reconnect Instagram')"))
                b.screenshot(os.path.join(outdir, "onboarding-connect.png"))
                b.goto(base + "/tenant/onboarding/persona")
                step("onboarding persona", b.eval("document.body.innerText.includes('Configure your assistant')"))
                b.goto(base + "/tenant/inbox")
                step("inbox", b.eval("document.body.innerText.includes('Inbox')"))
                b.screenshot(os.path.join(outdir, "inbox-list.png"))
                b.eval("document.querySelector('a[href=\"/tenant/inbox/%s\"]').click()" % conversation)
                b.wait_for("document.body.innerText.includes('Take over')")
                b.eval("document.querySelector('form[action$=\"/takeover\"] button').click()")
                b.wait_for("document.body.innerText.includes('Hand back to the assistant')")
                step("taken over", True)
                b.eval("document.getElementById('text').value = 'A person answers from the browser.'")
                b.eval("document.querySelector('form[action$=\"/reply\"]').submit()")
                b.wait_for("document.body.innerText.includes('A person answers from the browser.')")
                step("human reply shown", b.eval("document.getElementById('messages').innerText.includes('human reply')"))
                b.screenshot(os.path.join(outdir, "inbox-thread-taken-over.png"))
                b.eval("document.querySelector('form[action$=\"/handback\"] button').click()")
                b.wait_for("document.body.innerText.includes('The assistant answers this customer')")
                step("handed back", True)
                open(marker, "w").write("ready")
                b.wait_for("document.getElementById('messages').innerText.includes('Live message from the customer')", timeout=30)
                step("live update", True)
                b.screenshot(os.path.join(outdir, "inbox-thread-handed-back.png"))
            except Exception as error:
                step("error", False, str(error))
                try: b.screenshot(os.path.join(outdir, "tenant-browser-failure.png"))
                except Exception: pass
            finally:
                if not os.path.exists(marker): open(marker, "w").write("failed")
                b.close()

        main()
        """#
}
