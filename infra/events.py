"""What happened to a record, told to whoever listens (the outbound webhooks).

The services that change records call ``emit("lead.qualified", lead)`` inside their
transaction (``emit_all`` for many records at once, as an import makes them); an app above
them registers a listener from its ``AppConfig.ready()``. A listener is handed the event's
name and the list of records, and runs in the same transaction, so what it writes is committed
or rolled back with the change itself. Without listeners ``emit`` does nothing.
"""

from collections.abc import Callable, Iterable

Listener = Callable[[str, list], None]

_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def emit(name: str, record: object) -> None:
    emit_all(name, [record])


def emit_all(name: str, records: Iterable[object]) -> None:
    records = list(records)
    if not records:
        return
    for listener in _listeners:
        listener(name, records)
