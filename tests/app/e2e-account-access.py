#!/usr/bin/python3
# e2e-account-access.py
#
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The second half of the journey end to end, the way a screen reader sees the
# app: starts cars-mechanic-server (demo records, minimum hash cost) and
# cars-mechanic --server URL, then through AT-SPI, by accessible names and
# actions only: signs up, requests a code by email, reads it from the
# outbox, adds account access, sees Z123456 on the springboard, logs off;
# then opens the io.github.carsmechanic: link of a second code, signs in,
# finds the code filled in and nothing submitted, and moves on by hand.
# Last, with both programs stopped, it searches every file they wrote (the
# app's own HOME and XDG folders, GSettings as a key file, the database, the
# outbox, both logs with debug messages on) and the keyring's file for the
# password, the session tokens and the codes: only the outbox's one email per
# code may hold one.
#
# Run inside `scripts/headless-session --a11y`. Needs CM_BUILD_DIR.
# Exit 77 (skip) when there is no accessibility bus.

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import pyatspi
except ImportError:
    print("pyatspi is missing (apt-get install python3-pyatspi)")
    sys.exit(77)

from atspi_helpers import (check_by_keys, confirm_delivery, fill_profile,
                           editable_of, find, find_app, find_prefix, have_a11y_bus, log,
                           start_server, stop, wait_for, walk)

BUILD = os.environ.get("CM_BUILD_DIR")
PASSWORD = "Gr8-Wrench$Day"   # test data, never a real secret
CODE_RE = re.compile(r"io\.github\.carsmechanic:/add-account-access\?code=([0-9A-Z-]{14})")


def find_text(root, prefix):
    # A label's text, read through the Text interface: its name may be cached
    # from before the text was set.
    for node in walk(root):
        try:
            if node.getRoleName() != "label":
                continue
            t = node.queryText()
            text = t.getText(0, t.characterCount)
        except Exception:
            continue
        if text.startswith(prefix):
            return text
    return None


def find_all(root, name, roles=None):
    found = []
    for node in walk(root):
        try:
            if node.name == name and (roles is None or node.getRoleName() in roles):
                found.append(node)
        except Exception:
            continue
    return found


def showing_page(app, title):
    return next((p for p in find_all(app, title, ("panel", "grouping")) if showing(p)), None)


REQUEST = "Request Account Access"
ADD = "Add Account Access"


def step(app, flow, name):
    # The steps of a flow share its visible title; each page's accessible name
    # adds the step, "Request Account Access: SELECT", so a screen reader (and
    # this script) tells them apart. Only the page on screen is exposed.
    return wait_for("step " + flow + ": " + name,
                    lambda: showing_page(app, flow + ": " + name))


def account_info(app, flow, next_step, by_enter=False):
    # ACCOUNT INFO of either flow, for Z123456 / 48909; Next (or a real Enter
    # key in the ZIP field) looks them up.
    info = step(app, flow, "ACCOUNT INFO")
    type_into(info, "Mechanic Number", "Z123456")
    type_into(info, "ZIP Code", "48909")
    arrived = lambda: showing_page(app, flow + ": " + next_step)
    if by_enter:
        # Account Type, Mechanic Number, ZIP Code.
        return press_enter_in(info, "Account Type", 2, "step " + next_step, arrived)
    return advance(app, "Next", "step " + next_step, arrived)


def press_enter_in(scope, first, tabs, what, predicate):
    # Real keys: from @first, the step's first field (focused on arrival),
    # Tab @tabs times, then Enter, which a text field hands to the window's
    # default, the wizard's Next. (GTK 4.8 neither takes AT-SPI's GrabFocus
    # on a text nor reports its focus.) Enter again if it came too early.
    control = wait_for("control " + first, lambda: find(scope, first))
    wait_for(first + " focused", lambda: control.getState().contains(pyatspi.STATE_FOCUSED))
    for _ in range(tabs):
        pyatspi.Registry.generateKeyboardEvent(0xff09, None, pyatspi.KEY_SYM)
    for _ in range(3):
        pyatspi.Registry.generateKeyboardEvent(0xff0d, None, pyatspi.KEY_SYM)
        try:
            return wait_for(what, predicate, 8)
        except AssertionError:
            continue
    raise AssertionError("timed out waiting for " + what)


def page(app, title):
    return wait_for("page " + title, lambda: find(app, title, ("panel", "grouping")))


def sensitive(node):
    return node.getState().contains(pyatspi.STATE_SENSITIVE)


def showing(node):
    return node.getState().contains(pyatspi.STATE_VISIBLE)


BUTTONS = ("push button", "toggle button", "check box", "radio button")


def find_button(scope, name):
    # Several pages may hold a "Next": take the one that can be pressed.
    for node in walk(scope):
        try:
            if node.name == name and node.getRoleName() in BUTTONS and sensitive(node) \
                    and showing(node):
                return node
        except Exception:
            continue
    return None


def click(scope, name):
    button = wait_for("button " + name, lambda: find_button(scope, name))
    try:
        button.queryAction().doAction(0)
    except Exception:
        # GTK 4.8 gives a check box no accessible action: click its middle.
        extents = button.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        pyatspi.Registry.generateMouseEvent(extents.x + extents.width // 2,
                                            extents.y + extents.height // 2, "b1c")


def click_first(scope, name):
    # The first control with that name, once it can be pressed (the wizard's pages).
    button = wait_for("button " + name, lambda: find(scope, name, BUTTONS))
    wait_for(name + " sensitive", lambda: sensitive(button))
    button.queryAction().doAction(0)


def advance(scope, name, what, predicate):
    # Press @name until @predicate holds: a press that reaches GTK before the
    # text typed just before it was applied does nothing, so press again.
    for _ in range(3):
        click(scope, name)
        try:
            return wait_for(what, predicate, 8)
        except AssertionError:
            continue
    raise AssertionError("timed out waiting for " + what)


def find_editable(scope, name):
    # A label may carry the same name as its field: take the node that edits.
    for node in walk(scope):
        try:
            if node.name != name:
                continue
            # The field itself, or the entry next to its title (an AdwEntryRow
            # exposes its title as a label beside an unnamed text).
            candidate = node
            for _ in range(4):
                editable = editable_of(candidate)
                if editable is not None:
                    return editable
                candidate = candidate.parent
        except Exception:
            continue
    return None


def type_into(scope, name, text):
    editable = wait_for("editable " + name, lambda: find_editable(scope, name))
    editable.setTextContents(text)


def text_of(scope, name):
    # The text of the field called @name (not of a label with the same name).
    for node in walk(scope):
        try:
            if node.name != name:
                continue
            candidate = node
            for _ in range(4):
                for child in walk(candidate):
                    if child.getRoleName() not in ("text", "entry", "password text"):
                        continue
                    t = child.queryText()
                    # getText(0, -1) is empty on GTK 4.8: ask for the character count.
                    return t.getText(0, t.characterCount)
                candidate = candidate.parent
        except Exception:
            continue
    return None


def api(url, method, path, body=None, token=None):
    request = urllib.request.Request(url.rstrip("/") + path, method=method,
                                     data=json.dumps(body).encode() if body else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as answer:
        data = answer.read()
        return json.loads(data) if data else None


def newest_file(outbox, suffix):
    files = sorted(glob.glob(os.path.join(outbox, "*" + suffix)))
    assert files, "no %s in the outbox" % suffix
    return files[-1]


def newest_code(outbox, suffix):
    path = newest_file(outbox, suffix)
    with open(path, encoding="utf-8") as f:
        match = CODE_RE.search(f.read())
    assert match, "no link in " + path
    return match.group(1)


def sign_up(app):
    page(app, "Welcome")
    click_first(app, "Next")
    click_first(page(app, "Mechanic Login"), "Sign Up")
    profile = page(app, "Create Your Account")
    fill_profile(profile)
    # A check box, as on the slide, maybe scrolled out of view: by keys.
    check_by_keys(wait_for("the terms box", lambda: find(profile, "I agree to the terms & conditions",
                                                          ("check box",))))
    click_first(app, "Next")
    security = page(app, "Security Setup")
    wait_for("the User ID to be available", lambda: find(security, "Available"))
    user_id = text_of(security, "User ID")
    type_into(security, "Password", PASSWORD)
    type_into(security, "Confirm Password", PASSWORD)
    click_first(app, "Next")
    wait_for("the welcome", lambda: find(app, "Welcome, Maria"))
    return user_id


def keyring_secrets():
    """The secrets the app keeps in the keyring (to look for everywhere else)."""
    out = subprocess.run(["secret-tool", "search", "--all", "--unlock",
                          "xdg:schema", "io.github.carsmechanic.CarsMechanic"],
                         capture_output=True, text=True, timeout=30).stdout
    return [line.split(" = ", 1)[1] for line in out.splitlines() if line.startswith("secret = ")]


def spellings(secret):
    """The secret and the forms code could turn it into: case, separators, JSON escapes."""
    forms = {secret, secret.lower(), secret.replace("-", ""), secret.replace("-", " "),
             json.dumps(secret)[1:-1]}
    return {f.encode() for f in forms if len(f) >= 6}


def sweep(roots, secrets, allowed):
    """Files under roots holding a secret, except the allowed (path, secret) pairs."""
    found = []
    for root in roots:
        for folder, _, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                for what, secret in secrets:
                    if (path, secret) in allowed:
                        continue
                    if any(form in data for form in spellings(secret)):
                        found.append("%s in %s" % (what, path))
    return found


def main():
    if BUILD is None:
        print("CM_BUILD_DIR is not set")
        return 2
    if not have_a11y_bus():
        print("No accessibility bus: run inside scripts/headless-session --a11y")
        return 77

    tmp = tempfile.mkdtemp(prefix="cm-e2e-access-")
    outbox = os.path.join(tmp, "outbox")
    app_log = open(os.path.join(tmp, "app.log"), "w")
    server = app_proc = None
    try:
        server, url = start_server(BUILD, tmp, "--demo-data")

        # The app gets a HOME of its own, so every file it writes is swept at the
        # end; GSettings go to a key file there and credentials to the session's
        # real gnome-keyring.
        home = os.path.join(tmp, "home")
        env = dict(os.environ)
        env.pop("NO_AT_BRIDGE", None)
        env.pop("CM_CREDENTIAL_BACKEND", None)
        env.update({
            "GTK_A11Y": "atspi",
            "GSETTINGS_BACKEND": "keyfile",
            "GSETTINGS_SCHEMA_DIR": os.path.join(BUILD, "data"),
            "G_MESSAGES_DEBUG": "all",
            "HOME": home,
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"),
            "XDG_STATE_HOME": os.path.join(home, ".local", "state"),
        })
        for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            os.makedirs(env[key], exist_ok=True)
        binary = os.path.join(BUILD, "src", "app", "cars-mechanic")
        app_proc = subprocess.Popen([binary, "--server", url], env=env,
                                    stdout=app_log, stderr=subprocess.STDOUT)
        # Generous: on a loaded machine the first app also waits for the AT-SPI registry to start.
        app = wait_for("the app on AT-SPI", lambda: find_app(app_proc.pid), timeout=90)

        user_id = sign_up(app)
        log("signed up as " + user_id)

        # Request Code, by email: each step is a page of the wizard, whose
        # header holds Next (Submit, OK).
        access = page(app, "Account Access Options")
        click(access, "Request Code")
        wait_for("the account types", lambda: find(step(app, REQUEST, "SELECT"), "Mechanic"))
        click(app, "Next")
        details = account_info(app, REQUEST, "ACCOUNT DETAILS")
        wait_for("the business", lambda: find(details, "Emily Hall"))
        advance(app, "Next", "the email option step",
                lambda: showing_page(app, REQUEST + ": EMAIL OPTION"))
        option = step(app, REQUEST, "EMAIL OPTION")
        wait_for("the masked email", lambda: find_text(option, "The email address on record is"))
        click(option, "Yes")
        click(app, "Next")
        confirm_delivery(app)
        wait_for("the summary", lambda: find(step(app, REQUEST, "SUMMARY"),
                                             "Requesting an Account Authorization Code"))
        click(app, "Submit")
        confirmation = wait_for("the confirmation",
                                lambda: find_text(step(app, REQUEST, "CONFIRMATION"),
                                                  "Your submission has been submitted"))
        number = re.search(r"\d-\d{3}-\d{3}-\d{3}", confirmation)
        assert number, confirmation
        log("confirmation number " + number.group(0))
        click(app, "OK")

        # Read the code from the outbox, then Add Account Access
        code = newest_code(outbox, ".eml")
        codes = [(code, newest_file(outbox, ".eml"))]
        click(page(app, "Account Access Options"), "Add Account Access")
        type_into(step(app, ADD, "AUTHORIZATION CODE"), "Authorization Code",
                  code.lower().replace("-", " "))
        advance(app, "Next", "the account info step",
                lambda: showing_page(app, ADD + ": ACCOUNT INFO"))
        # Entered from the hub (the wizard's last page, where Next hides):
        # Enter in a field still presses Next.
        email = account_info(app, ADD, "EMAIL", by_enter=True)
        wait_for("the masked email", lambda: find_text(email, "The email address on record is"))
        # The field starts with the account's own address (milogin/profile); this one is
        # changed, as the slide lets the mechanic do.
        wait_for("the account's address filled in",
                 lambda: text_of(email, "Email Address") == "maria.garcia@example.com")
        type_into(email, "Email Address", "testemail@testemail.com")
        click(app, "Next")
        summary = step(app, ADD, "SUMMARY")
        wait_for("the summary", lambda: find(summary, "Adding Account Access"))
        submit = wait_for("Submit", lambda: find(app, "Submit", ("push button",)))
        assert not sensitive(submit), "Submit is insensitive until the terms are accepted"
        click(summary, "I agree to the Terms & Conditions")
        click(app, "Submit")

        # The springboard, a window of its own
        springboard = wait_for("the springboard window",
                               lambda: find_prefix(app, "Springboard – CARS Mechanic"))
        wait_for("the congratulations",
                 lambda: find_prefix(springboard, "Congratulations, you have reached"))
        # The row's text, and the name a screen reader gives its list item (the
        # number isolated left to right, U+2066 ... U+2069).
        wait_for("Z123456 on the springboard",
                 lambda: find(springboard, "Mechanic · \u2066Z123456\u2069 · Lansing"))
        wait_for("the row named after its account",
                 lambda: find(springboard, "\u2066Z123456\u2069, Emily Hall, Lansing, Active"))
        log("Z123456 is on the springboard")
        click(springboard, "Log Off")
        wait_for("the sign-in page", lambda: showing_page(app, "Mechanic Login"))
        log("logged off")

        # A second code, for the school account, followed through its link
        session = api(url, "POST", "/api/v1/milogin/sessions",
                      {"user_id": user_id, "password": PASSWORD, "remember": False})
        api(url, "POST", "/api/v1/cars/access-requests",
            {"account_type": "mechanic_school", "account_number": "S412303", "zip": "48909",
             "delivery": "email"}, session["token"])
        code = newest_code(outbox, ".eml")
        codes.append((code, newest_file(outbox, ".eml")))
        link = "io.github.carsmechanic:/add-account-access?code=" + code
        subprocess.run([binary, link], env=env, timeout=30, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sign_in = wait_for("the sign-in page", lambda: showing_page(app, "Mechanic Login"))
        type_into(sign_in, "Password", PASSWORD)
        # Remembered: the app's session token goes to the keyring, and the sweep
        # below looks for it everywhere else.
        click(sign_in, "Remember me on this computer")
        click(sign_in, "Sign In")
        # The user has an account: the springboard opens Add Account Access.
        wait_for("the code filled in from the link",
                 lambda: text_of(step(app, ADD, "AUTHORIZATION CODE"),
                                 "Authorization Code") == code)
        time.sleep(1)   # anything the link might (wrongly) start would run now
        accounts = api(url, "GET", "/api/v1/cars/accounts", token=session["token"])["accounts"]
        assert [a["account_number"] for a in accounts] == ["Z123456"], \
            "the link must not submit by itself"
        log("the link filled the code and submitted nothing")
        click(app, "Next")
        wait_for("the account info step",
                 lambda: text_of(step(app, ADD, "ACCOUNT INFO"), "ZIP Code") == "")
        log("the user goes on by hand")

        # The secrets sweep, once both programs have written all they will.
        secrets = [("the password", PASSWORD), ("the test's session token", session["token"])]
        remembered = keyring_secrets()
        assert remembered, "the remembered session is not in the keyring"
        secrets += [("the app's session token (from the keyring)", s) for s in remembered]
        secrets += [("authorization code %d" % (i + 1), c) for i, (c, _) in enumerate(codes)]
        stop(app_proc)
        stop(server)
        allowed = {(path, c) for c, path in codes}
        keyrings = os.path.join(os.environ.get("XDG_DATA_HOME", ""), "keyrings")
        roots = [tmp] + ([keyrings] if os.path.isdir(keyrings) else [])
        swept = sorted(os.path.relpath(os.path.join(d, n), tmp) for root in roots
                       for d, _, files in os.walk(root) for n in files)
        # The sweep can see: with nothing allowed, it finds each code in its email.
        expected = sorted("authorization code %d in %s" % (i + 1, path)
                          for i, (_, path) in enumerate(codes))
        assert sorted(f for f in sweep(roots, secrets, set()) if f.startswith("authorization")) \
            == expected, "the sweep does not find the codes in the outbox"
        for path in (os.path.join(tmp, "server.db"), app_log.name,
                     os.path.join(tmp, "server.log")):
            assert os.path.getsize(path) > 0, path + " is empty"
        found = sweep(roots, secrets, allowed)
        assert not found, "secrets found: " + "; ".join(found)
        for c, path in codes:
            with open(path, "rb") as f:
                assert c.encode() in f.read(), "the outbox email lost its code"
        log("no secret in %d files (%d secrets); each code only in its outbox email: %s"
            % (len(swept), len(secrets), ", ".join(swept)))
        return 0
    finally:
        stop(app_proc)
        stop(server)
        app_log.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print("FAIL: %s" % e)
        sys.exit(1)
