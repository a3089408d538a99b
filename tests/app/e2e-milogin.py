#!/usr/bin/python3
# e2e-milogin.py
#
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# End to end, the way a screen reader sees the app: starts
# cars-mechanic-server (minimum hash cost) and cars-mechanic --server URL,
# then through AT-SPI, by accessible names and actions only: signs up a new
# user, logs off, signs in, fails three times and sees the lockout.
#
# Run inside `scripts/headless-session --a11y`. Needs CM_BUILD_DIR.
# Exit 77 (skip) when there is no accessibility bus.

import sys

try:
    import pyatspi
except ImportError:
    print("pyatspi is missing (apt-get install python3-pyatspi)")
    sys.exit(77)

from atspi_helpers import (check_by_keys, editable_of, fill_profile, find, find_prefix,
                           log, run_journey, wait_for, walk)

PASSWORD = "Gr8-Wrench$Day"   # test data, never a real secret


PAGE_TITLES = ("Welcome", "Mechanic Login", "Forgot Password", "Create Your Account",
               "Security Setup", "Account Access Options")
PAGE_ROLES = ("panel", "grouping")


def pages_exposed(app):
    return [node.name for node in walk(app)
            if node.getRoleName() in PAGE_ROLES and node.name in PAGE_TITLES]


def page(app, title):
    # Only the page on screen is in the tree (docs/ui.md, "The wizard"): the
    # others are hidden, so a screen reader cannot wander into them. Wait
    # until the slide has ended and this page is the only one.
    wait_for("only page " + title, lambda: pages_exposed(app) == [title])
    node = find(app, title, PAGE_ROLES)
    assert node.getState().contains(pyatspi.STATE_VISIBLE), title + " is not visible"
    return node


def sensitive(node):
    states = node.getState()
    # GTK 4.8 never sets ENABLED; SENSITIVE follows gtk_widget_is_sensitive().
    return states.contains(pyatspi.STATE_SENSITIVE)


def click(app_or_page, name):
    button = wait_for("button " + name, lambda: find(app_or_page, name, ("push button", "toggle button", "check box", "radio button", "switch")))
    wait_for(name + " sensitive", lambda: sensitive(button))
    try:
        action = button.queryAction()
        if action.nActions > 0:
            action.doAction(0)
            return
    except NotImplementedError:
        pass
    # GTK 4.8 gives check buttons no AT-SPI action and takes no GrabFocus:
    # Tab to it and press Space, as a keyboard user would.
    check_by_keys(button)


FIELD_ROLES = ("text", "password text", "entry")


def type_into(scope, name, text):
    row = wait_for("field " + name, lambda: find(scope, name, FIELD_ROLES))
    editable = wait_for("editable " + name, lambda: editable_of(row))
    editable.setTextContents(text)


def text_of(scope, name):
    row = find(scope, name, FIELD_ROLES)
    for child in walk(row):
        try:
            t = child.queryText()
        except NotImplementedError:
            continue
        # getText(0, -1) is empty on GTK 4.8: ask for the character count.
        return t.getText(0, t.characterCount)
    return None


def journey(app, folder):
    # Welcome -> Sign in -> Sign Up
    page(app, "Welcome")
    click(app, "Next")
    sign_in = page(app, "Mechanic Login")
    click(sign_in, "Sign Up")

    # Profile
    profile = page(app, "Create Your Account")
    fill_profile(profile)
    click(profile, "I agree to the terms & conditions")
    click(app, "Next")

    # Security setup: the proposed User ID is checked as available
    security = page(app, "Security Setup")
    wait_for("the User ID to be available", lambda: find(security, "Available"))
    user_id = text_of(security, "User ID")
    assert user_id.startswith("garciam") and len(user_id) == 11, user_id
    type_into(security, "Password", PASSWORD)
    type_into(security, "Confirm Password", PASSWORD)
    click(app, "Next")

    welcome = "Welcome, Maria"
    wait_for("“%s”" % welcome, lambda: find(app, welcome))
    log("signed up as " + user_id)

    # Log off, then sign in again
    # Log Off is in the State's header, above the page.
    page(app, "Account Access Options")
    click(app, "Log Off")
    sign_in = page(app, "Mechanic Login")
    wait_for("the User ID kept", lambda: text_of(sign_in, "User ID") == user_id)
    type_into(sign_in, "Password", PASSWORD)
    click(sign_in, "Sign In")
    wait_for("“%s”" % welcome, lambda: find(app, welcome))
    log("signed in again")
    page(app, "Account Access Options")
    click(app, "Log Off")

    # Three wrong passwords, then the lockout
    sign_in = page(app, "Mechanic Login")
    for attempt in range(1, 3):
        type_into(sign_in, "Password", "Wrong-Guess9")
        click(sign_in, "Sign In")
        wait_for("the generic error",
                 lambda: find(sign_in, "The User ID or password is not correct."))
        assert text_of(sign_in, "User ID") == user_id
        log("failure %d shown" % attempt)
    # The third failure locks the User ID, and the answer says so at once.
    type_into(sign_in, "Password", "Wrong-Guess9")
    click(sign_in, "Sign In")
    locked = wait_for("the lockout", lambda: find_prefix(sign_in, "Sign-in is locked"))
    log("lockout shown: " + locked.name)
    button = find(sign_in, "Sign In", ("push button",))
    assert not sensitive(button), "Sign In stays insensitive while locked"
    return 0


if __name__ == "__main__":
    run_journey(journey, "cm-e2e-", server_args=())
