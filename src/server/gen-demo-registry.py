#!/usr/bin/env python3
# gen-demo-registry.py: writes demo-registry.csv, the made-up records of --demo-data.
#
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Deterministic (fixed seed), so the file only changes when this script does.
# Every name, address and email is invented; emails use example.* domains.

import csv
import random
import sys

CITIES = [
    ("Lansing", "48909"), ("Lansing", "48933"), ("Detroit", "48201"), ("Detroit", "48226"),
    ("Grand Rapids", "49503"), ("Ann Arbor", "48104"), ("Flint", "48502"),
    ("Kalamazoo", "49007"), ("Traverse City", "49684"), ("Saginaw", "48601"),
    ("Marquette", "49855"), ("Muskegon", "49440"), ("Battle Creek", "49017"),
    ("Jackson", "49201"), ("Holland", "49423"), ("Midland", "48640"), ("Bay City", "48706"),
    ("Sterling Heights", "48310"), ("Warren", "48089"), ("Troy", "48084"),
    ("Dearborn", "48124"), ("Livonia", "48150"), ("Novi", "48375"), ("Pontiac", "48342"),
    ("Southfield", "48075"), ("Port Huron", "48060"), ("Monroe", "48161"),
    ("Alpena", "49707"), ("Petoskey", "49770"), ("Sault Ste. Marie", "49783"),
    ("Escanaba", "49829"), ("Mount Pleasant", "48858"), ("Ypsilanti", "48197"),
]
FIRST = ["James", "Maria", "Robert", "Linda", "Michael", "Patricia", "David", "Jennifer",
         "William", "Elizabeth", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
         "Daniel", "Karen", "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Betty", "Ahmed",
         "Fatima", "Hiroshi", "Mei", "Carlos", "Lucia", "Kwame", "Amara", "Piotr", "Agnieszka"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas",
        "Taylor", "Moore", "Jackson", "Martin", "Lee", "Kowalski", "Nowak", "Haddad",
        "Nguyen", "Okafor", "VanderMolen", "DeVries", "Bieber", "Schultz", "Khalil"]
SHOPS = ["Auto Repair", "Automotive", "Garage", "Service Center", "Tire & Brake",
         "Collision", "Transmission", "Motor Works", "Car Care", "Diesel & Auto"]
STREETS = ["Main St", "Michigan Ave", "Woodward Ave", "Saginaw St", "Grand River Ave",
           "Washington St", "Division Ave", "Cedar St", "Pine St", "Lake Shore Dr",
           "Gratiot Ave", "Jefferson Ave", "Fort St", "Kalamazoo St", "Oak St"]
DOMAINS = ["example.com", "example.net", "example.org"]
STATUSES = ["active"] * 17 + ["expired", "suspended", "pending"]


def address(rng, city, zip_code):
    return f"{rng.randint(100, 9899)} {rng.choice(STREETS)}, {city}, MI {zip_code}"


def main(out):
    rng = random.Random(20260101)
    rows = [
        # The mechanic of the slides: an email on record, E************L@EXAMPLE.COM.
        ("mechanic", "Z123456", "48909", "Emily Hall", "Lansing", "emily.hall@example.com",
         "7064 Crowner Dr, Lansing, MI 48909", "active", "2027-06-30"),
        # A mechanic with no email on record: codes go by mail only.
        ("mechanic", "M654321", "49503", "Walter Kowalski", "Grand Rapids", "",
         "412 Division Ave S, Grand Rapids, MI 49503", "active", "2026-11-15"),
        # A mechanic school.
        ("mechanic_school", "S100200", "48197", "Washtenaw Automotive Technology School",
         "Ypsilanti", "registrar@washtenaw-auto.example.org",
         "4800 E Huron River Dr, Ypsilanti, MI 48197", "active", "2028-08-31"),
    ]
    used = {r[1] for r in rows}
    while len(rows) < 320:
        school = rng.random() < 0.06
        prefix = "S" if school else rng.choice("ABCDEFGHJKLMNPRTWZ")
        number = f"{prefix}{rng.randint(100000, 999999)}"
        if number in used:
            continue
        used.add(number)
        city, zip_code = rng.choice(CITIES)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if school:
            name = f"{city} {rng.choice(['Technical Institute', 'Career Center', 'Community College Automotive Program'])}"
        elif rng.random() < 0.5:
            name = f"{first} {last}"
        else:
            name = f"{last}'s {rng.choice(SHOPS)}"
        email = ""
        if rng.random() < 0.8:
            email = f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}"
        expires = f"{rng.randint(2025, 2029)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append(("mechanic_school" if school else "mechanic", number, zip_code, name, city,
                     email, address(rng, city, zip_code), rng.choice(STATUSES), expires))

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["account_type", "account_number", "zip", "name", "city", "email",
                     "mailing_address", "status", "certificate_expires"])
    writer.writerows(rows)


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "demo-registry.csv", "w",
              encoding="utf-8") as f:
        main(f)
