import HTTPTypes
import Hummingbird
import NIOCore

/// The script a tenant pastes on their site:
/// `<script src="https://relay.example/webchat/widget.js?tenant=<tenant id>" async></script>`.
///
/// It adds a chat button and panel (no framework, phone-sized), asks the relay once for a visitor id and
/// token (kept in `localStorage` per tenant), posts messages with the token in the `X-Webchat-Token` header,
/// and reads the replies as Server-Sent Events with `fetch` (so the token never goes in a URL), reconnecting
/// with `Last-Event-ID`. Each message id is shown once. `window.WoodstockWebchat.open()` and `.send(text)`
/// let a page drive it.
enum WebchatWidget {
    /// `200 application/javascript`, cacheable for five minutes.
    static func response() -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "application/javascript; charset=utf-8", .cacheControl: "public, max-age=300",
                .xContentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: script)))
    }

    /// The script.
    static let script = #"""
        (function () {
          "use strict";
          var me = document.currentScript;
          if (!me || window.WoodstockWebchat) { return; }
          var src = new URL(me.src, location.href);
          var base = src.origin;
          var tenant = src.searchParams.get("tenant") || "";
          var api = base + "/webchat/" + encodeURIComponent(tenant);
          var storeKey = "woodstock-webchat:" + tenant;
          var seen = {};
          var lastEventID = null;
          var visitor = null;
          try { visitor = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { visitor = null; }

          var css = ".wswc-button{position:fixed;right:16px;bottom:16px;z-index:2147483000;border:0;border-radius:24px;" +
            "padding:12px 18px;background:#1f6feb;color:#fff;font:600 15px system-ui,sans-serif;cursor:pointer;" +
            "box-shadow:0 2px 8px rgba(0,0,0,.25)}" +
            ".wswc-panel{position:fixed;right:16px;bottom:72px;z-index:2147483000;width:min(360px,calc(100vw - 32px));" +
            "height:min(480px,calc(100vh - 96px));display:none;flex-direction:column;background:#fff;color:#111;" +
            "border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.3);font:14px system-ui,sans-serif;overflow:hidden}" +
            ".wswc-panel.wswc-open{display:flex}" +
            ".wswc-head{padding:12px 14px;background:#1f6feb;color:#fff;font-weight:600}" +
            ".wswc-log{flex:1;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:6px}" +
            ".wswc-msg{max-width:80%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}" +
            ".wswc-visitor{align-self:flex-end;background:#1f6feb;color:#fff}" +
            ".wswc-assistant,.wswc-agent{align-self:flex-start;background:#eef1f5}" +
            ".wswc-note{align-self:center;color:#666;font-size:12px}" +
            ".wswc-form{display:flex;border-top:1px solid #ddd}" +
            ".wswc-input{flex:1;border:0;padding:12px;font:inherit;outline:none}" +
            ".wswc-send{border:0;background:none;color:#1f6feb;font-weight:600;padding:0 14px;cursor:pointer}";
          var style = document.createElement("style");
          style.textContent = css;
          document.head.appendChild(style);

          var button = document.createElement("button");
          button.className = "wswc-button";
          button.type = "button";
          button.textContent = "Chat with us";
          var panel = document.createElement("div");
          panel.className = "wswc-panel";
          panel.setAttribute("role", "dialog");
          panel.setAttribute("aria-label", "Chat");
          var head = document.createElement("div");
          head.className = "wswc-head";
          head.textContent = "Chat with us";
          var log = document.createElement("div");
          log.className = "wswc-log";
          log.setAttribute("aria-live", "polite");
          var form = document.createElement("form");
          form.className = "wswc-form";
          var input = document.createElement("input");
          input.className = "wswc-input";
          input.placeholder = "Type a message";
          input.maxLength = 2000;
          input.setAttribute("aria-label", "Message");
          var send = document.createElement("button");
          send.className = "wswc-send";
          send.type = "submit";
          send.textContent = "Send";
          form.appendChild(input);
          form.appendChild(send);
          panel.appendChild(head);
          panel.appendChild(log);
          panel.appendChild(form);

          function mount() {
            document.body.appendChild(panel);
            document.body.appendChild(button);
          }
          if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }

          function show(role, text, id) {
            if (id) { if (seen[id]) { return; } seen[id] = true; }
            var item = document.createElement("div");
            item.className = "wswc-msg wswc-" + role;
            item.textContent = text;
            log.appendChild(item);
            log.scrollTop = log.scrollHeight;
          }
          function note(text) { show("note", text, null); }

          // One visitor per browser and tenant: concurrent callers (the event stream and a first message) share
          // the one request in flight, so both use the same token and conversation.
          var issuing = null;
          function ensureVisitor() {
            if (visitor && visitor.token) { return Promise.resolve(visitor); }
            if (!issuing) {
              issuing = fetch(api + "/visitors", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
                .then(function (r) { if (!r.ok) { throw new Error("visitor " + r.status); } return r.json(); })
                .then(function (v) {
                  visitor = v;
                  issuing = null;
                  try { localStorage.setItem(storeKey, JSON.stringify(v)); } catch (e) { /* private mode */ }
                  return v;
                }, function (error) { issuing = null; throw error; });
            }
            return issuing;
          }
          function forgetVisitor() {
            visitor = null;
            try { localStorage.removeItem(storeKey); } catch (e) { /* private mode */ }
          }

          var listening = false;
          function listen() {
            if (listening) { return; }
            listening = true;
            ensureVisitor().then(function (v) {
              var headers = { "X-Webchat-Token": v.token, "Accept": "text/event-stream" };
              if (lastEventID) { headers["Last-Event-ID"] = lastEventID; }
              return fetch(api + "/events", { headers: headers, cache: "no-store" }).then(function (r) {
                if (r.status === 403) { forgetVisitor(); throw new Error("token"); }
                if (!r.ok || !r.body) { throw new Error("events " + r.status); }
                var reader = r.body.getReader();
                var decoder = new TextDecoder();
                var buffer = "";
                function pump() {
                  return reader.read().then(function (part) {
                    if (part.done) { return; }
                    buffer += decoder.decode(part.value, { stream: true });
                    var cut;
                    while ((cut = buffer.indexOf("\n\n")) >= 0) {
                      frame(buffer.slice(0, cut));
                      buffer = buffer.slice(cut + 2);
                    }
                    return pump();
                  });
                }
                return pump();
              });
            }).catch(function () {}).then(function () {
              listening = false;
              setTimeout(listen, 1000);
            });
          }
          function frame(text) {
            var id = null, data = "";
            text.split("\n").forEach(function (line) {
              if (line.indexOf("id: ") === 0) { id = line.slice(4); }
              else if (line.indexOf("data: ") === 0) { data += line.slice(6); }
            });
            if (id) { lastEventID = id; }
            if (!data) { return; }
            try {
              var event = JSON.parse(data);
              show(event.role, event.text, event.mid);
            } catch (e) { /* not ours */ }
          }

          function post(text) {
            text = (text || "").trim();
            if (!text) { return Promise.resolve(); }
            return ensureVisitor().then(function (v) {
              return fetch(api + "/messages", {
                method: "POST",
                headers: { "Content-Type": "application/json", "X-Webchat-Token": v.token },
                body: JSON.stringify({ text: text })
              });
            }).then(function (r) {
              if (r.status === 429) { note("Slow down a little: try again in " + (r.headers.get("Retry-After") || "a few") + " s."); }
              else if (r.status === 403) { forgetVisitor(); note("Chat is not available."); }
              else if (!r.ok) { note("Message not sent (" + r.status + ")."); }
              else {
                // Shown at once; the same message id arriving on the event stream is not shown again.
                return r.json().then(function (accepted) { show("visitor", text, accepted.id); }, function () {});
              }
            }).catch(function () { note("Message not sent: offline?"); });
          }

          function open() {
            panel.classList.add("wswc-open");
            listen();
            input.focus();
          }
          button.addEventListener("click", function () {
            if (panel.classList.contains("wswc-open")) { panel.classList.remove("wswc-open"); } else { open(); }
          });
          form.addEventListener("submit", function (e) {
            e.preventDefault();
            var text = input.value;
            input.value = "";
            post(text);
          });
          window.WoodstockWebchat = { open: open, send: function (text) { open(); return post(text); } };
        })();
        """#
}
