"""xentlib.serving: the kernel websocket the README's servers use."""

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from xentlib import serving


class _Handler:
    """Stands in for the tornado websocket handler; records what is asked of it."""

    def __init__(self, calls):
        self.calls = calls

    def set_nodelay(self, value):
        self.calls.append(("set_nodelay", value))


def test_connection_class_option_names_the_class():
    module, name = serving.CONNECTION_CLASS.rsplit(".", 1)
    assert module == serving.__name__ and getattr(serving, name) is serving.NoDelayKernelConnection
    assert issubclass(serving.NoDelayKernelConnection, ZMQChannelsWebsocketConnection)


def test_nagle_is_turned_off_before_jupyter_connects(monkeypatch):
    calls = []
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", lambda self: calls.append("connect") or "future")
    connection = serving.NoDelayKernelConnection.__new__(serving.NoDelayKernelConnection)
    connection._trait_values["websocket_handler"] = _Handler(calls)  # the handler tornado would pass
    assert connection.connect() == "future", "Jupyter's own connect() result is handed back (the server awaits it)"
    assert calls == [("set_nodelay", True), "connect"]
