#!/usr/bin/env python3
"""Generates the field tables of docs/model.md from the model's Rust source.

Usage: scripts/gen_model_doc.py          rewrite docs/model.md
       scripts/gen_model_doc.py --check  fail if docs/model.md is out of date
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODEL = ROOT / "cnarch-core" / "src" / "model"
DOC = ROOT / "docs" / "model.md"
AREAS = ["workload", "mesh", "data", "serverless", "events", "gateway", "eventsourcing", "observability"]
BEGIN, END = "<!-- BEGIN GENERATED -->", "<!-- END GENERATED -->"


def camel(name):
    parts = name.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def items(src):
    """Yields (kind, name, doc, body) for each pub struct and enum."""
    for m in re.finditer(r"((?:\s*///[^\n]*\n)+)((?:\s*#\[[^\n]*\]\n)*)\s*pub (struct|enum) (\w+)[^{;]*\{(.*?)\n\}", src, re.S):
        doc = " ".join(l.strip()[3:].strip() for l in m.group(1).strip().splitlines())
        yield m.group(3), m.group(4), doc, m.group(2), m.group(5)


def fields(body):
    for m in re.finditer(r"((?:\s*///[^\n]*\n)+)((?:\s*#\[[^\n]*\]\n)*)\s*pub (\w+): ([^\n]+),", body):
        doc = " ".join(l.strip()[3:].strip() for l in m.group(1).strip().splitlines())
        attrs, name, ty = m.group(2), m.group(3), m.group(4)
        rename = re.search(r'rename = "([^"]+)"', attrs)
        wire = rename.group(1) if rename else camel(name)
        required = not (ty.startswith("Option<") or "default" in attrs)
        yield wire, ty, required, doc


def variants(body, attrs):
    rule = re.search(r'rename_all = "([^"]+)"', attrs)
    for m in re.finditer(r"((?:\s*#\[[^\n]*\]\n)*)\s*(\w+),", body):
        rename = re.search(r'rename = "([^"]+)"', m.group(1))
        v = m.group(2)
        if rename:
            yield rename.group(1)
        elif not rule:
            yield v
        elif rule.group(1) == "lowercase":
            yield v.lower()
        elif rule.group(1) == "UPPERCASE":
            yield v.upper()
        elif rule.group(1) == "SCREAMING_SNAKE_CASE":
            yield re.sub(r"(?<!^)([A-Z])", r"_\1", v).upper()
        elif rule.group(1) == "camelCase":
            yield v[:1].lower() + v[1:]
        else:
            yield v


def generate():
    out = [BEGIN, ""]
    for area in AREAS:
        src = (MODEL / f"{area}.rs").read_text()
        out.append(f"### `model::{area}`\n")
        for kind, name, doc, attrs, body in items(src):
            if name.startswith("Raw"):
                continue
            out.append(f"#### `{name}`\n\n{doc}\n")
            if kind == "struct":
                rows = list(fields(body))
                if rows:
                    out.append("| field | type | required | meaning |\n| --- | --- | --- | --- |")
                    for wire, ty, req, fdoc in rows:
                        out.append(f"| `{wire}` | `{ty}` | {'yes' if req else 'no'} | {fdoc} |")
                    out.append("")
            else:
                code = "\n".join(l for l in body.splitlines() if not l.strip().startswith("///"))
                vs = list(variants(code, attrs))
                if vs and not re.search(r"^\s*\w+\s*\(", code, re.M):
                    out.append("Values: " + ", ".join(f"`{v}`" for v in vs) + "\n")
    out.append(END)
    return "\n".join(out) + "\n"


def main():
    text = DOC.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END) + 1
    new = text[:start] + generate() + text[end:]
    if "--check" in sys.argv:
        if new != text:
            sys.exit("docs/model.md is out of date: run scripts/gen_model_doc.py")
        return
    DOC.write_text(new)


if __name__ == "__main__":
    main()
