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
A parent module and its children may use each other (a folder's `mod.rs`
equivalent re-exports its children).

Lines of scripts/check-layers.known ("a -> b", or "circle: a, b, ...") list
what the crate still has of these while the model layer comes in; a listed
item that no longer occurs fails too, so the list only shrinks.

Run from anywhere: python3 scripts/check-layers.py. Prints every finding,
then "ok: layers" or "not ok: layers (N findings)", and exits 0 or 1.
"""
import os
import re
import sys

# The layers, top first, written once (Documentation/resctrl-rs.rst,
# "Code layout", describes the same). A file may import from its own layer
# and from those below. A name matches the module and its children; the
# longest match wins.
LAYERS = [
    ("module", ["resctrl"]),
    # The entry points: C callback tables (kernfs, fs_context, cpuhp,
    # debugfs, the driver ABI), the workers' run functions and the PMU's
    # init. Only these take resctrl's mutex.
    ("entry", [
        "fs::hierarchy", "fs::mount", "hotplug", "debugfs",
        "mon::workers", "driver::registry", "perf",
        # Until the model layer has landed: today's entry points.
        "fs::files", "fs::group_files", "fs::info", "fs::mon_data", "fs::rename",
        "driver::nodes", "domain::hotplug", "domain::debugfs",
    ]),
    ("state", ["state"]),
    # The presentation (the kernfs tree and the file kinds), drivers'
    # domains and the PMU, over the model.
    ("presentation", ["fs", "driver", "perf::pmu", "perf::hotplug"]),
    # Monitoring: counter reads and accounting, limbo.
    ("monitoring", ["mon"]),
    # Groups, IDs, domains and drivers' data: no kernfs, no lock of its own.
    ("model", ["model", "domain"]),
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
    for i, (_, names) in enumerate(LAYERS):
        for n in names:
            if m == n or m.startswith(n + "::"):
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


def edges_of(files):
    mods = set(files)

    def resolve(path):
        parts = [x for x in path.split("::") if x]
        for k in range(len(parts), 0, -1):
            if "::".join(parts[:k]) in mods:
                return "::".join(parts[:k])
        return None

    edges = {m: set() for m in mods}
    for m, text in files.items():
        text = re.sub(r"//[^\n]*", "", text)
        paths = []
        for u in re.finditer(r"\buse\s+(crate|super)::(.+?);", text, re.S):
            body = re.sub(r"\s+", " ", u.group(2))
            base = "" if u.group(1) == "crate" else parent(m)
            paths += expand(base, body)
        word = r"((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)"
        paths += ["::" + x for x in re.findall(r"(?<![\w:])crate::" + word, text)]
        paths += [parent(m) + "::" + x for x in re.findall(r"(?<![\w:])super::" + word, text)]
        for p in paths:
            t = resolve(p)
            if t and t != m and not m.startswith(t + "::") and not t.startswith(m + "::"):
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

    known_path = os.path.join(ROOT, "scripts", "check-layers.known")
    known = set()
    if os.path.exists(known_path):
        for line in open(known_path):
            line = line.split("#")[0].strip()
            if line:
                known.add(line)

    def key(f):
        # "a -> b: why" is known as "a -> b".
        return f.split(": ", 1)[0] if " -> " in f else f

    bad = 0
    for f in found:
        if key(f) in known:
            print(f"known: {f}")
        else:
            print(f"new: {f}")
            bad += 1
    n_known = len(found) - bad
    for k in sorted(known - {key(f) for f in found}):
        print(f"gone, drop it from scripts/check-layers.known: {k}")
        bad += 1
    print(f"{len(files)} modules, {sum(map(len, edges.values()))} imports, "
          f"{len(found)} findings ({n_known} known)")
    if bad:
        print(f"not ok: layers ({bad} findings)")
        return 1
    print("ok: layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
