"""Serving the notebooks: a kernel websocket that sends every message at once.

``make lab``, ``make present``, the browser tests and
``benchmarks/bench_browser.py`` start their Jupyter servers with this
connection class::

    jupyter lab --ServerApp.kernel_websocket_connection_class=xentlib.serving.NoDelayKernelConnection
    voila notebooks --Voila.kernel_websocket_connection_class=xentlib.serving.NoDelayKernelConnection

**Why.**  Jupyter's kernel websocket (``jupyter_server``'s
``ZMQChannelsWebsocketConnection``) leaves Nagle's algorithm on.  When a
slider moves, the kernel answers with a few small messages (its busy status,
the echo of the slider's new value) and then the new figure, a PNG of
50-150 kB.  With Nagle on, the figure waits in the server until the browser
acknowledges the small message sent before it, and a browser delays its
acknowledgements (by tens of milliseconds on Linux).  So, on about half of
the key presses, the figure reached the page late
(``bench_browser.py --stock-websocket`` measures the difference; the figures
are in ``benchmarks/README.md``).

The class changes nothing else: it turns the socket's ``TCP_NODELAY`` on when
the browser connects, then connects exactly as Jupyter does.  Only the Jupyter
server imports this module; ``xentlib`` itself never does.
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

#: The value of the ``kernel_websocket_connection_class`` option, for command lines.
CONNECTION_CLASS = "xentlib.serving.NoDelayKernelConnection"


class NoDelayKernelConnection(ZMQChannelsWebsocketConnection):
    """Jupyter's kernel websocket with Nagle's algorithm off: each message leaves as soon as it is written."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()
