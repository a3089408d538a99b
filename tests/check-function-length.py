#!/usr/bin/env python3
# check-function-length.py: no function in src/ over 80 lines (the developers' guide).
#
# Copyright 2026 The CARS Mechanic authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-function-length.py SOURCE_ROOT
#
# Functions in this project start at column 0: the return type on one line, the name
# on the next, the parameters, then "{" alone at column 0; the body ends at the next
# "}" at column 0. The length is the number of lines between the two braces. A
# brace-at-column-0 parser is enough for that style and needs no compiler; a
# function written in another style is not seen, so the style is the rule too.
#
# Prints FILE:LINE: NAME is N lines (limit 80) for every offender not allowed below,
# and exits 1 if there is one.

import os
import re
import sys

LIMIT = 80

# Lexers whose one loop is a state machine over the characters: splitting the switch
# would scatter one table over several functions.
LEXERS = {
    'src/common/cm-json.c:scan',  # the JSON scanner that checks depth and size before json-glib
}

# Once a temporary list for functions other branches were splitting (issue 14);
# empty now, and it stays empty: split a long function instead of listing it.
TEMPORARY = set()

NAME_RE = re.compile(r'^(?:[A-Za-z_][\w \t\*]*[\s\*])?([A-Za-z_]\w*)\s*\(')


def functions(path):
    """Yields (name, line of the opening brace, length in lines) for each function."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    name = None
    start = None
    for number, line in enumerate(lines, 1):
        if start is not None:
            if line.startswith('}'):
                yield name, start, number - start - 1
                name = None
                start = None
        elif line.startswith('{'):
            # "{" after a struct or an initializer has no name line before it.
            if name is not None:
                start = number
        elif line and not line[0].isspace() and not line.startswith(('#', '/*', ' *', '*/')):
            match = NAME_RE.match(line)
            name = match.group(1) if match else None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    allowed = set(LEXERS) | set(TEMPORARY)
    seen = set()
    failures = 0
    for directory, subdirs, files in os.walk(os.path.join(root, 'src')):
        subdirs.sort()
        for filename in sorted(files):
            if not filename.endswith('.c'):
                continue
            path = os.path.join(directory, filename)
            relative = os.path.relpath(path, root)
            for name, line, length in functions(path):
                if length <= LIMIT:
                    continue
                key = f'{relative}:{name}'
                if key in allowed:
                    seen.add(key)
                    kind = 'lexer' if key in LEXERS else 'TEMPORARY allow-list'
                    print(f'{relative}:{line}: {name} is {length} lines (allowed: {kind})')
                    continue
                print(f'{relative}:{line}: {name} is {length} lines (limit {LIMIT})')
                failures += 1
    for key in sorted(allowed - seen):
        print(f'{key}: on the allow-list but not over {LIMIT} lines (or gone): '
              'remove it from tests/check-function-length.py')
        failures += 1
    if failures:
        print(f'{failures} problem(s): split the function (docs/decisions.md, "No function '
              f'over {LIMIT} lines")')
        return 1
    print(f'every function in src/ is at most {LIMIT} lines')
    return 0


if __name__ == '__main__':
    sys.exit(main())
