#!/usr/bin/python3
# e2e-slides.py
#
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The State's slides walked end to end the way a screen reader sees the app,
# by the slides' own words (issue 15): cars-mechanic-server --demo-data and
# cars-mechanic --server URL, then through AT-SPI only:
# - Welcome: "Mechanic School", so sign-in is "Mechanic School Login";
# - sign-up ("Create Your Account", "Enter your profile information", the
#   terms check box, "Security Setup");
# - the State's header greets the mechanic by first name;
# - Request Code with the school's type preselected, first switched to
#   Mechanic (Z123456), then as the school (S412303): ACCOUNT DETAILS names
#   the business and its city before anything is requested;
# - Add Account Access with the school's code: EMAIL holds the account's
#   address, the summary shows it in full; the springboard lists the school;
# - the header's Settings: the password changed twice, then the first one
#   refused as one of the last 3;
# - Log Off, and sign in with the newest password.
#
# Run inside `scripts/headless-session --a11y`. Needs CM_BUILD_DIR.
# Exit 77 (skip) when there is no accessibility bus.

import os
import sys

try:
    import pyatspi
except ImportError:
    print("pyatspi is missing (apt-get install python3-pyatspi)")
    sys.exit(77)

from atspi_helpers import (FIELD_ROLES, SAMPLE_PROFILE, act, checked, choose, fill_profile,
                           confirm_delivery, control_in, find, find_prefix, find_window,
                           label_text, log, newest_code, run_journey, same, set_field,
                           plain_name, shown_page, text_in, wait_for, wait_page, walk)

# Test data, never real secrets: the first, the second and the third password.
PASSWORDS = ("Gr8-Wrench$Day", "Sp4rk-Plug#Two", "Brake-P4d!Three")
EMAIL = dict(SAMPLE_PROFILE)["Email Address"]
GREETING = "Welcome, " + dict(SAMPLE_PROFILE)["First Name"]


def sign_up(app):
    welcome = wait_page(app, "Welcome")
    choose(welcome, "Mechanic School")
    act(welcome, "Next")
    sign_in = wait_page(app, "Mechanic School Login")
    act(sign_in, "Sign Up")

    profile = wait_page(app, "Create Your Account")
    wait_for("the slide's sentence", lambda: label_text(profile, "Enter your profile information"))
    fill_profile(profile)
    act(profile, "I agree to the terms & conditions")
    act(profile, "Next")

    security = wait_page(app, "Security Setup")
    wait_for("the slide's sentence", lambda: label_text(
        security, "Provide User ID and password information to complete your profile"))
    wait_for("the User ID to be available", lambda: find(security, "Available"))
    user_id = text_in(find(security, "User ID", FIELD_ROLES))
    set_field(security, "Password", PASSWORDS[0])
    set_field(security, "Confirm Password", PASSWORDS[0])
    act(security, "Next")
    wait_for("the greeting by first name", lambda: find(app, GREETING))
    return user_id


def request_code(app, kind, number, zip_code, business, city):
    """Request Code from SELECT to CONFIRMATION for @kind ("Mechanic" or
    "Mechanic School"), by email."""
    act(wait_page(app, "Account Access Options"), "Request Code")
    request = wait_page(app, "Request Account Access: SELECT")
    choose(request, kind)
    act(request, "Next")
    request = wait_page(app, "Request Account Access: ACCOUNT INFO")
    set_field(request, kind + " Number", number)
    set_field(request, "ZIP Code", zip_code)
    act(request, "Next")
    request = wait_page(app, "Request Account Access: ACCOUNT DETAILS")
    wait_for("the business's name", lambda: find(request, business))
    wait_for("the business's city", lambda: find(request, city))
    act(request, "Next")
    request = wait_page(app, "Request Account Access: EMAIL OPTION")
    act(request, "Yes")
    act(request, "Next")
    confirm_delivery(app)
    request = wait_page(app, "Request Account Access: SUMMARY")
    act(request, "Submit")
    request = wait_page(app, "Request Account Access: CONFIRMATION")
    wait_for("the confirmation", lambda: label_text(request, "Your submission has been submitted"))
    act(request, "OK")


def add_access(app, outbox, kind, number, zip_code):
    code = newest_code(outbox)
    act(wait_page(app, "Account Access Options"), "Add Account Access")
    add = wait_page(app, "Add Account Access: AUTHORIZATION CODE")
    set_field(add, "Authorization Code", code)
    act(add, "Next")
    add = wait_page(app, "Add Account Access: ACCOUNT INFO")
    if control_in(add, kind) is not None:
        choose(add, kind)
    set_field(add, kind + " Number", number)
    set_field(add, "ZIP Code", zip_code)
    act(add, "Next")
    add = wait_page(app, "Add Account Access: EMAIL")
    field = wait_for("the Email Address field", lambda: control_in(add, "Email Address", FIELD_ROLES))
    wait_for("the account's own address", lambda: text_in(field) == EMAIL)
    act(add, "Next")
    add = wait_page(app, "Add Account Access: SUMMARY")
    wait_for("the address in full", lambda: label_text(add, EMAIL))
    act(add, "I agree to the Terms & Conditions")
    act(add, "Submit")
    board = wait_for("the springboard", lambda: find_window(app, "Springboard"))
    # The number is isolated left to right (U+2066 ... U+2069).
    wait_for(number + " on the springboard",
             lambda: find_prefix(board, "%s · \u2066%s\u2069" % (kind, number)))
    return board


def exposed_fields(window, name):
    """The fields called @name a screen reader can find in @window."""
    found = []
    for node in walk(window):
        try:
            if plain_name(node.name) == name and node.getRoleName() in FIELD_ROLES:
                found.append(node)
        except Exception:
            continue
    return found


def check_one_page_exposed(settings):
    """Each page of the window asks for the Current Password: only the page
    shown may be exposed, so a screen reader finds one."""
    wait_for("one Current Password exposed",
             lambda: len(exposed_fields(settings, "Current Password")) == 1)


def change_password(settings, current, new):
    # The Current Password in the Change Password group.
    group = wait_for("the Change Password group", lambda: find(settings, "Change Password",
                                                              ("list",)))
    set_field(group, "Current Password", current)
    set_field(group, "New Password", new)
    set_field(group, "Confirm New Password", new)
    act(settings, "Change Password")
    return group


def settings_walk(app, board):
    """The header's Settings: two changes, then the first password refused."""
    act(board, "Settings")
    settings = wait_for("Account Settings", lambda: find_window(app, "Account Settings"))
    # The Profile page is shown first: the Password page's fields are not exposed.
    wait_for("the Profile page's fields", lambda: exposed_fields(settings, "Email Address"))
    if exposed_fields(settings, "New Password"):
        raise AssertionError("the Password page is exposed while the Profile page is shown")
    check_one_page_exposed(settings)
    tab = act(settings, "Password", ("page tab",))
    wait_for("the Password page", lambda: tab.getState().contains(pyatspi.STATE_SELECTED)
             and control_in(settings, "New Password", FIELD_ROLES))
    check_one_page_exposed(settings)
    for current, new in ((PASSWORDS[0], PASSWORDS[1]), (PASSWORDS[1], PASSWORDS[2])):
        group = change_password(settings, current, new)
        # A change that went through empties the form for the next one.
        field = control_in(group, "New Password", FIELD_ROLES)
        wait_for("the change of password done", lambda: text_in(field) == "")
        log("password changed")
    group = change_password(settings, PASSWORDS[2], PASSWORDS[0])
    wait_for("the first password refused as one of the last 3", lambda: label_text(
        settings, "This password is one of your last 3 passwords"))
    # What was typed stays for the mechanic to correct.
    assert text_in(control_in(group, "New Password", FIELD_ROLES)) == PASSWORDS[0]
    act(settings, "Close")
    wait_for("the settings closed", lambda: not any(same(w, settings) for w in app))


def journey(app, folder):
    user_id = sign_up(app)
    log("signed up as " + user_id)
    # The login kind is preselected; this first request switches to Mechanic.
    act(wait_page(app, "Account Access Options"), "Request Code")
    request = wait_page(app, "Request Account Access: SELECT")
    school = wait_for("the types", lambda: control_in(request, "Mechanic School"))
    assert checked(school), "Mechanic School is not preselected after its login"
    act(request, "Cancel")
    request_code(app, "Mechanic", "Z123456", "48909", "Emily Hall", "Lansing")
    request_code(app, "Mechanic School", "S412303", "48909", "Lansing Technical Institute",
                 "Lansing")
    board = add_access(app, os.path.join(folder, "outbox"), "Mechanic School", "S412303",
                       "48909")
    settings_walk(app, board)

    act(board, "Log Off")
    sign_in = wait_page(app, "Mechanic School Login")
    set_field(sign_in, "User ID", user_id)
    set_field(sign_in, "Password", PASSWORDS[2])
    act(shown_page(app, "Mechanic School Login"), "Sign In")
    wait_for("signed in with the newest password", lambda: find(app, GREETING))
    log("signed in again with the newest password")
    return 0


if __name__ == "__main__":
    run_journey(journey, "cm-e2e-slides-")
