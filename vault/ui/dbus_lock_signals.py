"""Linux lock signals over D-Bus, read with jeepney (pure Python) in worker threads.

Owns the list of signals that mean "lock the vault now" and the threads that wait for them:

- session bus: ``org.freedesktop.ScreenSaver`` and ``org.gnome.ScreenSaver`` ``ActiveChanged(true)``
  (the screen locker or screensaver came on);
- system bus: logind ``org.freedesktop.login1.Manager.PrepareForSleep(true)`` (suspend or
  hibernate is about to happen), ``org.freedesktop.login1.Session.Lock`` on this login session
  (``loginctl lock-session``, the desktop's lock), and the session's ``Active`` property turning
  false (fast user switching to another seat session).

Each bus gets one daemon thread with a blocking jeepney connection; a matching signal calls
``on_lock(reason)`` from that thread (the Qt side turns it into a queued signal). No Qt here:
QtDBus was tried before and its signals never reached the slot. A bus that is not there (no
desktop, a container) is logged once and ignored — the idle timer still runs. Signals carry no
personal data, and locking is always the safe direction, so the sender is not checked.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageType, message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

log = logging.getLogger(__name__)

FREEDESKTOP_SCREENSAVER = "org.freedesktop.ScreenSaver"
GNOME_SCREENSAVER = "org.gnome.ScreenSaver"
LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = "org.freedesktop.login1.Manager"
LOGIN1_SESSION = "org.freedesktop.login1.Session"
PROPERTIES = "org.freedesktop.DBus.Properties"

POLL_SECONDS = 0.25  # how often a waiting thread looks at its stop flag (not the lock latency)
CALL_TIMEOUT = 2.0


class LockReason(Enum):
    SCREEN_LOCKED = "screen-locked"
    SESSION_LOCKED = "session-locked"
    SESSION_SWITCHED = "session-switched"
    SUSPENDING = "suspending"


def session_bus_rules() -> list[MatchRule]:
    return [MatchRule(type="signal", interface=iface, member="ActiveChanged")
            for iface in (FREEDESKTOP_SCREENSAVER, GNOME_SCREENSAVER)]


def system_bus_rules(session_path: str | None) -> list[MatchRule]:
    rules = [
        MatchRule(type="signal", interface=LOGIN1_MANAGER, member="PrepareForSleep",
                  path=LOGIN1_PATH),
        MatchRule(type="signal", interface=LOGIN1_SESSION, member="Lock", path=session_path),
    ]
    if session_path is not None:
        rules.append(MatchRule(type="signal", interface=PROPERTIES, member="PropertiesChanged",
                               path=session_path))
    return rules


def classify(message: Message, session_path: str | None) -> LockReason | None:
    """The lock reason ``message`` carries, or None for anything else. Never raises.

    ``session_path`` is this login session's logind object; when it is unknown a ``Lock`` of
    any session counts (locking too often is safe, missing one is not).
    """
    try:
        if message.header.message_type is not MessageType.signal:
            return None
        fields = message.header.fields
        interface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member)
        path = fields.get(HeaderFields.path)
        body: tuple[Any, ...] = tuple(message.body)
        if member == "ActiveChanged" and interface in (FREEDESKTOP_SCREENSAVER,
                                                        GNOME_SCREENSAVER):
            return LockReason.SCREEN_LOCKED if body and body[0] is True else None
        if interface == LOGIN1_MANAGER and member == "PrepareForSleep":
            return LockReason.SUSPENDING if body and body[0] is True else None
        if interface == LOGIN1_SESSION and member == "Lock":
            return (LockReason.SESSION_LOCKED
                    if session_path is None or path == session_path else None)
        if (interface == PROPERTIES and member == "PropertiesChanged" and session_path
                and path == session_path and len(body) >= 2 and body[0] == LOGIN1_SESSION):
            active = body[1].get("Active")
            if active is not None and active[1] is False:
                return LockReason.SESSION_SWITCHED
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return None
    return None


@dataclass(frozen=True)
class BusAddresses:
    """Where to listen: a D-Bus address each, ``"SESSION"``/``"SYSTEM"`` for the usual ones,
    or None to skip that bus. Tests point both at one private ``dbus-daemon``."""

    session: str | None = "SESSION"
    system: str | None = "SYSTEM"
    login_session_path: str | None = None  # None: asked from logind on the system bus


class DBusLockListener:
    """Threads that call ``on_lock(reason)`` when a lock signal arrives on either bus."""

    def __init__(self, on_lock: Callable[[LockReason], None],
                 addresses: BusAddresses | None = None) -> None:
        self._on_lock = on_lock
        self._addresses = addresses or BusAddresses()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._ready: list[threading.Event] = []
        self.listening: set[str] = set()  # "session" / "system" once subscribed

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        for name, address in (("session", self._addresses.session),
                              ("system", self._addresses.system)):
            if address is None or (address == "SESSION"
                                   and not os.environ.get("DBUS_SESSION_BUS_ADDRESS")):
                continue
            ready = threading.Event()
            thread = threading.Thread(target=self._run, args=(name, address, ready),
                                      name=f"casevault-dbus-{name}", daemon=True)
            self._threads.append(thread)
            self._ready.append(ready)
            thread.start()

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """True once every bus thread subscribed or gave up (tests wait on this)."""
        return all(ready.wait(timeout) for ready in self._ready)

    def stop(self, timeout: float = 1.0) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
        self._ready.clear()
        self.listening.clear()

    # -- worker thread -------------------------------------------------------------------------

    def _run(self, name: str, address: str, ready: threading.Event) -> None:
        try:
            conn = open_dbus_connection(address, auth_timeout=CALL_TIMEOUT)
        except Exception as exc:  # no bus here (container, no desktop): the idle timer remains
            log.info("%s bus not available for lock signals: %s", name, type(exc).__name__)
            ready.set()
            return
        with conn:
            try:
                session_path = self._subscribe(conn, name)
            except Exception as exc:
                log.warning("could not subscribe to %s bus lock signals: %s", name,
                            type(exc).__name__)
                ready.set()
                return
            self.listening.add(name)
            ready.set()
            log.info("listening for lock signals on the %s bus", name)
            self._receive_loop(conn, session_path)

    def _subscribe(self, conn: DBusConnection, name: str) -> str | None:
        session_path = None
        if name == "system":
            session_path = self._addresses.login_session_path or _own_login_session(conn)
            rules = system_bus_rules(session_path)
        else:
            rules = session_bus_rules()
        for rule in rules:
            reply = conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=CALL_TIMEOUT)
            if reply.header.message_type is MessageType.error:
                raise OSError("AddMatch refused")
        return session_path

    def _receive_loop(self, conn: DBusConnection, session_path: str | None) -> None:
        while not self._stop.is_set():
            try:
                message = conn.receive(timeout=POLL_SECONDS)
            except TimeoutError:
                continue
            except Exception as exc:  # the bus went away (logout, daemon restart)
                log.info("lock-signal bus connection ended: %s", type(exc).__name__)
                return
            reason = classify(message, session_path)
            if reason is not None:
                log.info("lock signal: %s", reason.value)
                try:
                    self._on_lock(reason)
                except Exception as exc:  # never let a callback kill the listener
                    log.error("lock callback failed: %s", type(exc).__name__)


def _own_login_session(conn: DBusConnection) -> str | None:
    """This process's logind session object path, or None when logind cannot say."""
    manager = DBusAddress(LOGIN1_PATH, bus_name=LOGIN1, interface=LOGIN1_MANAGER)
    attempts: list[tuple[str, str, tuple[Any, ...]]] = [("GetSessionByPID", "u", (os.getpid(),))]
    session_id = os.environ.get("XDG_SESSION_ID")
    if session_id:
        attempts.append(("GetSession", "s", (session_id,)))
    for method, signature, args in attempts:
        try:
            reply = conn.send_and_get_reply(
                _method_call(manager, method, signature, args), timeout=CALL_TIMEOUT)
        except Exception as exc:
            log.info("logind %s failed: %s", method, type(exc).__name__)
            continue
        if reply.header.message_type is MessageType.method_return and reply.body:
            return str(reply.body[0])
    log.info("logind session unknown; any session's Lock signal will lock the vault")
    return None


def _method_call(address: DBusAddress, method: str, signature: str,
                 args: tuple[Any, ...]) -> Message:
    from jeepney import new_method_call

    return new_method_call(address, method, signature, args)
