"""A small scripted OpenAI-protocol server on loopback: /v1/models and /v1/chat/completions (JSON or SSE).

Each POST pops the next scripted reply: {"tool_calls": [(name, args)]} or {"content": "..."} or {"status": 500}.
Requests are recorded so a test can read what the client sent.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedOpenAI:
    def __init__(self, script: list[dict]):
        self.script = list(script)
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # quiet
                pass

            def _json(self, code: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                outer.requests.append(body)
                step = outer.script.pop(0) if outer.script else {"content": "끝"}
                if "status" in step:
                    self._json(step["status"], {"error": {"message": "scripted failure", "type": "server_error"}})
                    return
                msg: dict = {"role": "assistant", "content": step.get("content")}
                if "tool_calls" in step:
                    msg["tool_calls"] = [{"id": f"call_{i}", "type": "function", "function": {"name": n, "arguments": json.dumps(a, ensure_ascii=False)}}
                                         for i, (n, a) in enumerate(step["tool_calls"])]
                    msg["content"] = None
                finish = "tool_calls" if "tool_calls" in step else "stop"
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    chunks = []
                    if "tool_calls" in step:
                        chunks.append({"role": "assistant", "content": None, "tool_calls": [
                            {"index": i, **tc} for i, tc in enumerate(msg["tool_calls"])]})
                    else:
                        text = msg["content"] or ""
                        chunks.append({"role": "assistant", "content": ""})
                        chunks += [{"content": text[i : i + 8]} for i in range(0, len(text), 8)]
                    for d in chunks:
                        ev = {"id": "c1", "object": "chat.completion.chunk", "created": int(time.time()), "model": "scripted",
                              "choices": [{"index": 0, "delta": d, "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(ev, ensure_ascii=False)}\n\n".encode())
                    end = {"id": "c1", "object": "chat.completion.chunk", "created": int(time.time()), "model": "scripted",
                           "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}
                    self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
                    return
                self._json(200, {"id": "c1", "object": "chat.completion", "created": int(time.time()), "model": "scripted",
                                 "choices": [{"index": 0, "message": msg, "finish_reason": finish}],
                                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
