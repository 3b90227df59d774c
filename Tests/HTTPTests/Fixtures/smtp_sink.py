#!/usr/bin/env python3
"""A minimal SMTP sink for the tests (no TLS, no auth): binds 127.0.0.1 on a free port, prints "PORT <n>", and
appends every message it accepts as one JSON line {"mail_from", "rcpt_tos", "data"} to the file named by argv[1].
Exits when stdin closes."""
import json
import socketserver
import sys
import threading

out_path = sys.argv[1]
lock = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.send("220 sink ESMTP")
        mail_from, rcpts = None, []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-sink\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n")
                self.wfile.flush()
            elif verb == "MAIL":
                mail_from, rcpts = line.split(":", 1)[1].strip().split(" ")[0], []
                self.send("250 OK")
            elif verb == "RCPT":
                rcpts.append(line.split(":", 1)[1].strip())
                self.send("250 OK")
            elif verb == "DATA":
                self.send("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data_line = self.rfile.readline()
                    if not data_line or data_line in (b".\r\n", b".\n"):
                        break
                    if data_line.startswith(b".."):
                        data_line = data_line[1:]
                    lines.append(data_line)
                with lock, open(out_path, "a") as f:
                    f.write(json.dumps({"mail_from": mail_from, "rcpt_tos": rcpts,
                                        "data": b"".join(lines).decode("utf-8", "replace")}) + "\n")
                self.send("250 OK queued")
            elif verb == "QUIT":
                self.send("221 Bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.send("250 OK")
            else:
                self.send("502 Command not implemented")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


server = Server(("127.0.0.1", 0), Handler)
print(f"PORT {server.server_address[1]}", flush=True)
threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
server.serve_forever()
