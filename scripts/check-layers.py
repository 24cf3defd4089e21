#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The crate's arrows point down: a host-only check of src/'s imports.

Reads each src/ file's `use crate::...`/`use super::...` imports (and
`crate::a::b` paths written out in code) and fails on
  - an import from a higher layer than the file's own,
  - any circle between files,
  - a file that imports `state` without being an entry point,
  - a file of more than 800 lines,
  - a module no layer names.
A parent module and its children may use each other (a folder's module
file declares its children).

Run from anywhere: python3 scripts/check-layers.py. Prints every finding,
then "ok: layers" or "not ok: layers (N findings)", and exits 0 or 1.
"""
import os
import re
import sys

# The layers, top first, written once (Documentation/resctrl-rs.rst,
# "Code layout", describes the same). A file may import from its own layer
# and from those below. A name matches the module and its children, except
# in "entry", where it names one file; the longest match wins.
LAYERS = [
    ("module", ["resctrl"]),
    # The entry points: C callback tables (kernfs, fs_context, cpuhp,
    # debugfs, the driver ABI) and the workers' run functions. Only these
    # take resctrl's mutex.
    ("entry", [
        "fs::hierarchy", "fs::mount", "hotplug", "debugfs",
        "mon::workers", "driver::registry",
    ]),
    ("state", ["state"]),
    # The presentation (the kernfs tree and the file kinds), what drivers
    # add to a mount, and the PMU, over the model.
    ("presentation", ["fs", "driver", "perf"]),
    # Monitoring: counter reads and accounting, limbo.
    ("monitoring", ["mon"]),
    # Groups, IDs, domains and drivers' data: no kernfs, and no mutex.
    ("model", ["model"]),
    ("hardware", ["hw"]),
    ("kapi", ["kapi"]),
    ("logic", ["logic"]),
]

# Files that may import `state` (and take its mutex).
ENTRY = {name for layer, names in LAYERS if layer in ("module", "entry") for name in names}

MAX_LINES = 800

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def modules():
    files = {}
    src = os.path.join(ROOT, "src")
    for root, _, names in os.walk(src):
        for n in names:
            if n.endswith(".rs"):
                p = os.path.join(root, n)
                files[os.path.relpath(p, src)[:-3].replace(os.sep, "::")] = open(p).read()
    return files


def layer_of(m):
    best = None
    for i, (layer, names) in enumerate(LAYERS):
        for n in names:
            if m == n or layer != "entry" and m.startswith(n + "::"):
                if best is None or len(n) > len(best[1]):
                    best = (i, n)
    return None if best is None else best[0]


def expand(prefix, tree):
    """The paths of a use tree: "a::b", "a::{b, c::{d, e}}", "self", "x as y"."""
    tree = tree.strip()
    if not tree:
        return []
    if tree.startswith("{"):
        inner, depth, items, cur = tree[1:-1], 0, [], ""
        for ch in inner:
            depth += (ch == "{") - (ch == "}")
            if ch == "," and depth == 0:
                items.append(cur)
                cur = ""
            else:
                cur += ch
        items.append(cur)
        return [p for it in items for p in expand(prefix, it)]
    i = tree.find("::{")
    if i >= 0:
        return expand(prefix + "::" + tree[:i], tree[i + 2:])
    tree = tree.split(" as ")[0].strip()
    return [prefix if tree == "self" else prefix + "::" + tree]


def parent(m):
    return m.rsplit("::", 1)[0] if "::" in m else ""


def code_only(text):
    """`text` without comments and the contents of string and char literals."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            out.append('""')
            i += 1
        elif c == "'" and re.match(r"'(\\.[^']*|[^\\'])'", text[i:]):
            i += re.match(r"'(\\.[^']*|[^\\'])'", text[i:]).end()
            out.append("' '")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def absolute(m, path):
    """`path` (a::b, crate::a, super::super::a, self::a) as seen from module
    `m`, from the crate root; None if it does not start in the crate."""
    parts = path.split("::")
    if parts[0] == "crate":
        return parts[1:]
    base = m.split("::")
    if parts[0] == "self":
        return base + parts[1:]
    if parts[0] == "super":
        while parts and parts[0] == "super":
            base, parts = base[:-1], parts[1:]
        return base + parts
    return None


def edges_of(files):
    mods = set(files)

    def resolve(parts):
        for k in range(len(parts), 0, -1):
            if "::".join(parts[:k]) in mods:
                return "::".join(parts[:k])
        return None

    edges = {m: set() for m in mods}
    for m, text in files.items():
        text = code_only(text)
        targets = []
        aliases = {}
        for u in re.finditer(r"\buse\s+((?:crate|super|self)::.+?);", text, re.S):
            for p in expand("", re.sub(r"\s+", " ", u.group(1))):
                p = p.lstrip(":")
                full = absolute(m, p)
                if full is None:
                    continue
                targets.append(full)
                # `use crate::a::b;` (or `... as c`) names module a::b as b.
                if "::".join(full) in mods:
                    aliases[full[-1]] = full
        word = r"(?:[a-z_][a-z0-9_]*)"
        for q in re.finditer(r"(?<![\w:])((?:crate|self|super)(?:::super)*(?:::" + word + ")+)", text):
            full = absolute(m, q.group(1))
            if full is not None:
                targets.append(full)
        # Paths through a module brought in by `use`: b::c::f after
        # `use crate::a::b;`.
        for q in re.finditer(r"(?<![\w:])(" + word + r")((?:::" + word + ")+)", text):
            if q.group(1) in aliases:
                targets.append(aliases[q.group(1)] + q.group(2).split("::")[1:])
        for full in targets:
            t = resolve(full)
            if t is None or t == m:
                continue
            # A module and its own children (declared by its `mod`s) may
            # use each other; no farther.
            if parent(m) == t or parent(t) == m:
                continue
            edges[m].add(t)
    return edges


def circles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    idx, low, stack, on, out, n = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        idx[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in idx:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], idx[w])
        if low[v] == idx[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in idx:
            visit(v)
    return out


def main():
    files = modules()
    edges = edges_of(files)
    found = []
    for m in sorted(files):
        if layer_of(m) is None:
            found.append(f"unplaced: {m} (name its layer in scripts/check-layers.py)")
        lines = files[m].count("\n")
        if lines > MAX_LINES:
            found.append(f"too long: {m} ({lines} lines, at most {MAX_LINES})")
    for m in sorted(edges):
        for t in sorted(edges[m]):
            lm, lt = layer_of(m), layer_of(t)
            if lm is None or lt is None:
                continue
            if t == "state" or t.startswith("state::"):
                if m not in ENTRY and layer_of(m) != 0:
                    found.append(f"{m} -> {t}: imports state without being an entry point")
                    continue
            if lt < lm:
                found.append(f"{m} -> {t}: up from {LAYERS[lm][0]} to {LAYERS[lt][0]}")
    for c in circles(edges):
        found.append("circle: " + ", ".join(c))

    for f in found:
        print(f"not ok: {f}")
    print(f"{len(files)} modules, {sum(map(len, edges.values()))} imports, {len(found)} findings")
    if found:
        print(f"not ok: layers ({len(found)} findings)")
        return 1
    print("ok: layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
