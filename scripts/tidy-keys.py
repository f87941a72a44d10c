#!/usr/bin/env python3
"""Prints "UNIT KEY" for each unit given on stdin: KEY names what clang-tidy's verdict on the unit
depends on (scripts/lint keeps a marker per unit found clean, named by its key).

The key hashes clang-tidy's version and .clang-tidy (argv[2], argv[3]), the unit's compile command,
the unit itself and the project headers it includes: those its last build recorded (Ninja's deps
log, `ninja -t deps`), or every tracked header when the unit was never built (a clean clone: every
unit is checked). Headers from
outside the repository (/usr) are left out: they change only with the packages, and so with the
compiler and clang-tidy versions."""
import hashlib
import json
import os
import subprocess
import sys

build, tidy_version, config = sys.argv[1], sys.argv[2], sys.argv[3]
root = os.getcwd()
with open(os.path.join(build, "compile_commands.json")) as f:
    commands = {os.path.relpath(e["file"], root): e for e in json.load(f)}
common = hashlib.sha1()
common.update(tidy_version.encode())
with open(config, "rb") as f:
    common.update(f.read())
all_headers = None
# Ninja keeps each object's dependencies in its deps log (it reads and removes the compiler's depfiles).
recorded = {}
try:
    out = subprocess.run(["ninja", "-C", build, "-t", "deps"], capture_output=True, text=True, check=True).stdout
    target = None
    for line in out.splitlines():
        if line and not line[0].isspace():
            target = line.split(":", 1)[0] if "(VALID)" in line else None
            if target:
                recorded[target] = []
        elif target and line.strip():
            recorded[target].append(line.strip())
except (OSError, subprocess.CalledProcessError):
    pass


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b"<missing>"


def headers_of(entry):
    global all_headers
    args = entry.get("command", "").split() or entry.get("arguments", [])
    directory = entry["directory"]
    if "-o" in args and args[args.index("-o") + 1] in recorded:
        found = set()
        for d in recorded[args[args.index("-o") + 1]]:
            path = os.path.realpath(os.path.join(directory, d))
            if path.startswith(root + os.sep) and path.endswith(".hpp"):
                found.add(os.path.relpath(path, root))
        return sorted(found)
    if all_headers is None:
        out = subprocess.run(["git", "ls-files", "*.hpp"], capture_output=True, text=True, check=True)
        all_headers = sorted(out.stdout.split())
    return all_headers


for line in sys.stdin:
    unit = line.strip()
    if not unit:
        continue
    entry = commands[unit]
    h = common.copy()
    h.update(entry.get("command", " ".join(entry.get("arguments", []))).encode())
    h.update(read(unit))
    for header in headers_of(entry):
        h.update(header.encode() + b"\0" + read(header))
    print(unit, h.hexdigest())
