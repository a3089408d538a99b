# atspi_helpers.py
#
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What every end-to-end script needs to read the app the way a screen reader
# does: waiting, walking the AT-SPI tree and finding nodes by accessible name.

import time

import pyatspi

TIMEOUT = 30


def log(message):
    print("# " + message, flush=True)


def wait_for(what, predicate, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # the tree changes under us while pages move
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    for i in range(node.childCount):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


def find(root, name, roles=None):
    for node in walk(root):
        try:
            if node.name == name and (roles is None or node.getRoleName() in roles):
                return node
        except Exception:
            continue
    return None


def find_prefix(root, prefix):
    for node in walk(root):
        try:
            if node.name and node.name.startswith(prefix):
                return node
        except Exception:
            continue
    return None


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def editable_of(node):
    for child in walk(node):
        try:
            return child.queryEditableText()
        except NotImplementedError:
            continue
    return None
