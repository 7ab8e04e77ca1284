"""Serving the desk with waitress, a production WSGI server in pure Python (it runs the
same on the council's Windows or Linux servers), in a thread beside the watcher."""

from __future__ import annotations

import threading
from typing import Any

from waitress import wasyncore
from waitress.server import create_server


class WebServer:
    def __init__(self, wsgi_app: Any, *, host: str, port: int, threads: int = 8,
                 trusted_proxy: str | None = None) -> None:
        # ident=None: no "Server: waitress" header telling visitors what runs here.
        # Forwarding headers count only from the named proxy; from anyone else they are
        # removed, so a visitor cannot pretend to come from another address.
        proxy = {"trusted_proxy": trusted_proxy, "trusted_proxy_count": 1,
                 "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}
                 } if trusted_proxy else {}
        self._server = create_server(wsgi_app, host=host, port=port, threads=threads,
                                     ident=None, clear_untrusted_proxy_headers=True, **proxy)
        self._thread = threading.Thread(target=self._server.run, name="web desk",
                                        daemon=True)

    @property
    def url(self) -> str:
        host = self._server.effective_host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self._server.effective_port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        # The sockets are closed by the server's own loop (the trigger runs the closing
        # there), so the loop never waits on a socket another thread has closed.
        try:
            self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._server._map))
        except OSError:  # the loop has already closed its sockets, the trigger among them
            wasyncore.close_all(self._server._map)
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown()
