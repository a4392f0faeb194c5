"""What happened to a record, told to whoever listens (the outbound webhooks).

The services that change records call ``emit("lead.qualified", lead)`` inside their
transaction; an app above them registers a listener from its ``AppConfig.ready()``. A
listener runs in the same transaction, so what it writes is committed or rolled back with the
change itself. Without listeners ``emit`` does nothing.
"""

from collections.abc import Callable

Listener = Callable[[str, object], None]

_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def emit(name: str, record: object) -> None:
    for listener in _listeners:
        listener(name, record)
