#!/usr/bin/env python3
"""Airflow's configuration tables, read from Airflow's own wheels.

Reads the wheels pinned in pins.json (one release per supported minor: the core
distribution, the Task SDK on 3.x, and the providers afc configures) straight out
of their zip files -- nothing is installed, nothing of Airflow is imported -- and
writes compiler/airflow/config-options.json, the data file behind
compiler/airflow/config-options.ts.

What is read, per release (docs/airflow-facts.md section 12):
  * airflow/config_templates/config.yml: sections, options, type, default,
    sensitive, version_added, version_deprecated / deprecation_reason;
  * each provider's airflow/providers/<name>/get_provider_info.py: the `config`
    dict of the literal that get_provider_info() returns;
  * class attributes of AirflowConfigParser (airflow/configuration.py, and on
    3.2+ the base class in airflow/_shared/configuration/parser.py):
    deprecated_options, many_to_one_deprecated_options, deprecated_sections,
    enums_options, evaluated statically (literals and names bound to literals);
    what cannot be evaluated is recorded, never guessed;
  * CONFIGS_CHANGES in airflow/cli/commands/config_command.py (the 3.0 upgrade
    lint, shipped with 2.11 and 3.x): options renamed or removed, default
    changes, refused and dropped values;
  * every `conf.getsection("<literal>")` in the core, Task SDK and provider
    wheels whose result is used as a mapping: sections read as free-form key sets;
  * every `conf.<getter>("<section>", "<key>", ...)` there: options Airflow's code
    reads without declaring them (in sections the tables hold; a provider's
    reads only in the sections it declares), typed by the getter.

Usage:
  extract.py [--out FILE]   download what is missing from the cache, write FILE
                            (default: compiler/airflow/config-options.json)
  extract.py --check        exit 1 when the committed data file differs
  extract.py --download     only fill the wheel cache (CI pre-downloads)
  extract.py --resolve      recompute pins.json: each minor's newest patch, its providers (see pins.json)

The wheel cache is $AFC_WHEEL_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/afc/wheels.
Every wheel is checked against the sha256 in pins.json before it is read.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PINS = HERE / "pins.json"
DATA = ROOT / "compiler" / "airflow" / "config-options.json"
TYPES = ("string", "integer", "float", "boolean")


# --------------------------------------------------------------------------- wheels


def cache_dir() -> Path:
    explicit = os.environ.get("AFC_WHEEL_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "afc" / "wheels"


def wheel_prefix(dist: str, version: str) -> str:
    """A wheel's file name up to its tags (PEP 427: `-`, `.` and `_` runs become `_`)."""
    return f"{re.sub(r'[-_.]+', '_', dist).lower()}-{version}-"


def find_wheel(dist: str, version: str) -> Path | None:
    directory = cache_dir()
    if not directory.is_dir():
        return None
    found = sorted(p for p in directory.iterdir() if p.name.lower().startswith(wheel_prefix(dist, version)) and p.name.endswith(".whl"))
    return found[0] if found else None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(dist: str, version: str) -> Path:
    wheel = find_wheel(dist, version)
    if wheel is None:
        cache_dir().mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet", "--disable-pip-version-check", "--dest", str(cache_dir()), f"{dist}=={version}"],
            check=True,
        )
        wheel = find_wheel(dist, version)
        if wheel is None:
            raise SystemExit(f"extract: pip downloaded no wheel for {dist}=={version}")
    return wheel


def pinned_wheels(release: dict) -> list[tuple[str, str, str, str | None]]:
    """(role, dist, version, sha256) of every wheel of one release; role is 'core', 'sdk' or a provider name."""
    wheels = [("core", release["core"]["dist"], release["core"]["version"], release["core"].get("sha256"))]
    if "sdk" in release:
        wheels.append(("sdk", release["sdk"]["dist"], release["sdk"]["version"], release["sdk"].get("sha256")))
    for name, pin in sorted(release["providers"].items()):
        wheels.append((name, provider_dist(name), pin["version"], pin.get("sha256")))
    return wheels


def provider_dist(name: str) -> str:
    return "apache-airflow-providers-" + name.replace(".", "-")


def open_wheel(dist: str, version: str, expected: str | None) -> zipfile.ZipFile:
    path = download(dist, version)
    actual = sha256(path)
    if expected is not None and actual != expected:
        raise SystemExit(f"extract: {path.name} has sha256 {actual}, pins.json says {expected}")
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))


# --------------------------------------------------------------------------- static evaluation


class Unresolved:
    """An expression that is not a literal nor a name bound to one: kept as its source text."""

    def __init__(self, source: str):
        self.source = source


def evaluate(node: ast.AST, scope: dict[str, object], text: str) -> object:
    """Evaluate a literal expression; names resolve through `scope` (class, then module)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items: list[object] = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                inner = evaluate(element.value, scope, text)
                if isinstance(inner, Unresolved):
                    return Unresolved(ast.get_source_segment(text, node) or "")
                items.extend(inner)  # type: ignore[arg-type]
            else:
                items.append(evaluate(element, scope, text))
        if any(isinstance(i, Unresolved) for i in items) and not isinstance(node, ast.List):
            return Unresolved(ast.get_source_segment(text, node) or "")
        return tuple(items) if isinstance(node, ast.Tuple) else items
    if isinstance(node, ast.Dict):
        result: dict[object, object] = {}
        for key, value in zip(node.keys, node.values):
            if key is None:  # {**other}
                inner = evaluate(value, scope, text)
                if not isinstance(inner, dict):
                    return Unresolved(ast.get_source_segment(text, node) or "")
                result.update(inner)
                continue
            k = evaluate(key, scope, text)
            if isinstance(k, Unresolved):
                return Unresolved(ast.get_source_segment(text, node) or "")
            result[k] = evaluate(value, scope, text)
        return result
    if isinstance(node, ast.Name) and node.id in scope:
        return scope[node.id]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and f"{node.value.id}.{node.attr}" in scope:
        return scope[f"{node.value.id}.{node.attr}"]
    return Unresolved(ast.get_source_segment(text, node) or "")


def module_scope(tree: ast.Module, text: str) -> dict[str, object]:
    scope: dict[str, object] = {}
    for statement in tree.body:
        target, value = assignment(statement)
        if target is not None and value is not None:
            scope[target] = evaluate(value, scope, text)
    return scope


def assignment(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value
    return None, None


def class_attributes(text: str, class_name: str, inherited: dict[str, object], base_alias: str | None) -> dict[str, object]:
    """The class-level assignments of `class_name` in `text`, over those it inherits (Python's own order)."""
    tree = ast.parse(text)
    outer = module_scope(tree, text)
    attributes = dict(inherited)
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name == class_name:
            scope = dict(outer)
            if base_alias is not None:
                scope.update({f"{base_alias}.{k}": v for k, v in inherited.items()})
            scope.update(inherited)
            for member in statement.body:
                target, value = assignment(member)
                if target is not None and value is not None:
                    attributes[target] = scope[target] = evaluate(value, scope, text)
            return attributes
    raise SystemExit(f"extract: no class {class_name}")


def parser_attributes(core: zipfile.ZipFile) -> dict[str, object]:
    """AirflowConfigParser's class attributes; on 3.2+ the class extends the shared parser's."""
    inherited: dict[str, object] = {}
    alias = None
    shared = "airflow/_shared/configuration/parser.py"
    main = core.read("airflow/configuration.py").decode()
    if shared in core.namelist():
        inherited = class_attributes(core.read(shared).decode(), "AirflowConfigParser", {}, None)
        match = re.search(r"AirflowConfigParser as (\w+)", main)
        alias = match.group(1) if match else None
    return class_attributes(main, "AirflowConfigParser", inherited, alias)


def configs_changes(core: zipfile.ZipFile) -> list[dict[str, object]]:
    """CONFIGS_CHANGES of `airflow config lint`, each ConfigChange's keyword arguments."""
    name = "airflow/cli/commands/config_command.py"
    if name not in core.namelist():
        return []
    text = core.read(name).decode()
    for statement in ast.parse(text).body:
        target, value = assignment(statement)
        if target == "CONFIGS_CHANGES" and isinstance(value, ast.List):
            changes = []
            for call in value.elts:
                assert isinstance(call, ast.Call), ast.dump(call)
                change: dict[str, object] = {}
                for keyword in call.keywords:
                    v = keyword.value
                    if isinstance(v, ast.Call) and getattr(v.func, "id", None) == "ConfigParameter":
                        change[keyword.arg] = tuple(ast.literal_eval(a) for a in v.args)  # type: ignore[index]
                    else:
                        change[keyword.arg] = ast.literal_eval(v)  # type: ignore[index]
                changes.append(change)
            return changes
    return []


# How Airflow's code reads an option: the getter's conversion is the option's type.
GETTER_TYPES = {"getint": "integer", "getfloat": "float", "getboolean": "boolean", "gettimedelta": "integer"}
GETTERS = {"get", "getint", "getfloat", "getboolean", "gettimedelta", "getjson", "getimport", "getlist", "getenum", "getenumlist", "get_mandatory_value", "get_mandatory_list_value", "has_option"}
# The names Airflow's code gives its configuration parser (conf, the team-scoped ExecutorConf, …).
READS = re.compile(r"getsection\(|(?:conf|parser)\.(?:get\w*|has_option)\(")
CONF = re.compile(r"^(?:self\.)?_?(?:conf|airflow_conf|team_conf|airflow_config_parser)$|^configuration\.conf$")


class CodeReads:
    """What a wheel's code reads of the configuration, found in its syntax trees."""

    def __init__(self) -> None:
        self.whole: set[str] = set()
        # (section, key) -> {"types": set, "fallbacks": set, "files": set}
        self.options: dict[tuple[str, str], dict[str, set]] = {}


_reads: dict[str, CodeReads] = {}


def code_reads(role: str, dist: str, version: str, wheel: zipfile.ZipFile) -> CodeReads:
    """Sections read whole, and options read by name, by one wheel (memoized: 3.x releases share providers).

    A section is read whole by `<conf>.getsection("<literal>")` used as a mapping; `"key" in
    conf.getsection("webserver")` only asks whether one key is set. An option is read by
    `<conf>.<getter>("<section>", "<key>", ...)` with literal names.
    """
    memo = f"{dist}=={version}"
    if memo in _reads:
        return _reads[memo]
    reads = CodeReads()
    for name in sorted(wheel.namelist()):
        if not name.endswith(".py"):
            continue
        text = wheel.read(name).decode()
        if not READS.search(text):
            continue
        tree = ast.parse(text)
        membership = {id(c.comparators[0]) for c in ast.walk(tree) if isinstance(c, ast.Compare) and len(c.ops) == 1 and isinstance(c.ops[0], (ast.In, ast.NotIn))}
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.args):
                continue
            literal = [a.value for a in call.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if call.func.attr == "getsection" and len(literal) >= 1 and isinstance(call.args[0], ast.Constant) and id(call) not in membership:
                reads.whole.add(literal[0])
            elif call.func.attr in GETTERS and len(literal) == 2 and len(call.args) >= 2 and CONF.match(ast.unparse(call.func.value)):
                read = reads.options.setdefault((literal[0].lower(), literal[1].lower()), {"types": set(), "fallbacks": set(), "files": set()})
                read["types"].add(GETTER_TYPES.get(call.func.attr, "string"))
                fallback = next((k.value for k in call.keywords if k.arg == "fallback"), None)
                read["fallbacks"].add(text_or_null(fallback.value) if isinstance(fallback, ast.Constant) else "<expression>" if fallback is not None else "<none>")
                read["files"].add(f"{role}:{name}")
    _reads[memo] = reads
    return reads


def provider_config(wheel: zipfile.ZipFile) -> dict[str, dict]:
    name = next(n for n in wheel.namelist() if n.endswith("/get_provider_info.py"))
    tree = ast.parse(wheel.read(name).decode())
    function = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "get_provider_info")
    returned = next(s for s in function.body if isinstance(s, ast.Return))
    return ast.literal_eval(returned.value).get("config", {})  # type: ignore[arg-type]


# --------------------------------------------------------------------------- one release


def first_sentence(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    flat = " ".join(text.split())
    if not flat:
        return None
    match = re.search(r"(?<=[.!?])\s(?=[A-Z0-9`(\"'])", flat)
    return flat[: match.start()] if match else flat


def text_or_null(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def option_entry(option: dict, provider: str | None, where: str) -> dict:
    kind = option.get("type")
    if kind not in TYPES:
        raise SystemExit(f"extract: {where} has type {kind!r}, none of {TYPES}")
    entry: dict[str, object] = {"t": kind}
    default = text_or_null(option.get("default"))
    if default is not None:
        entry["d"] = default
    if option.get("sensitive") is True:
        entry["s"] = 1
    if provider is not None:
        entry["p"] = provider
    description = first_sentence(option.get("description"))
    if description is not None:
        entry["x"] = description
    added = text_or_null(option.get("version_added"))
    if added is not None:
        entry["a"] = added
    if option.get("version_deprecated") is not None or option.get("deprecated") is True or option.get("deprecation_reason"):
        deprecation: dict[str, object] = {}
        if option.get("version_deprecated") is not None:
            deprecation["since"] = text_or_null(option["version_deprecated"])
        reason = first_sentence(option.get("deprecation_reason"))
        if reason is not None:
            deprecation["reason"] = reason
        entry["dep"] = deprecation
    return entry


def read_release(release: dict) -> dict:
    pinned = pinned_wheels(release)
    wheels = {role: open_wheel(dist, version, digest) for role, dist, version, digest in pinned}
    reads = [code_reads(role, dist, version, wheels[role]) for role, dist, version, _ in pinned]
    core = wheels["core"]
    options: dict[tuple[str, str], dict] = {}
    sections: set[str] = set()
    described = yaml.safe_load(core.read("airflow/config_templates/config.yml"))
    for section, body in described.items():
        sections.add(section)
        for key, option in (body.get("options") or {}).items():
            options[(section, key)] = option_entry(option, None, f"{section}.{key}")
    for provider in sorted(release["providers"]):
        for section, body in provider_config(wheels[provider]).items():
            sections.add(section)
            for key, option in (body.get("options") or {}).items():
                # Core's description wins where both declare an option (core loads first and is always there).
                options.setdefault((section, key), option_entry(option, provider, f"{provider}: {section}.{key}"))

    # Options Airflow's code reads by name that no description declares (nor as an old name), in
    # sections the tables hold: of a section no description declares (one of a provider that is not
    # pinned, such as [openlineage]), the code's reads are not all its options. Added before the
    # deprecations (an old name may point at one: [core] worker_precheck on 2.11) and again after them,
    # for the sections that only old names bring ([webserver] on 3.x). A provider's code counts only in the
    # sections that provider declares: its reads elsewhere serve other Airflow versions (amazon 9.39.0
    # reads [api] secret_key for Airflow 3's auth manager, which 2.11 never runs), and core's
    # descriptions and code say what core reads.
    undeclared: dict[tuple[str, str], dict[str, set]] = {}
    for (role, _dist, _version, _digest), read in zip(pinned, reads):
        own = None if role in ("core", "sdk") else set(provider_config(wheels[role]))
        for option, how in read.options.items():
            if own is not None and option[0] not in own:
                continue
            merged = undeclared.setdefault(option, {"types": set(), "fallbacks": set(), "files": set()})
            for field in merged:
                merged[field] |= how[field]

    def add_undeclared() -> None:
        tabled = set(sections)
        for (section, key), how in sorted(undeclared.items()):
            if (section, key) in options or section not in tabled:
                continue
            strict = sorted(how["types"] - {"string"})
            entry: dict[str, object] = {"t": strict[0] if len(strict) == 1 else "string"}
            if len(how["fallbacks"]) == 1 and next(iter(how["fallbacks"])) not in ("<none>", "<expression>", None):
                entry["d"] = next(iter(how["fallbacks"]))
            roles = {f.split(":", 1)[0] for f in how["files"]}
            if not roles & {"core", "sdk"} and len(roles) == 1:
                entry["p"] = next(iter(roles))
            entry["r"] = sorted(how["files"])
            options[(section, key)] = entry

    add_undeclared()
    attributes = parser_attributes(core)
    unresolved: list[tuple[str, str, str]] = []
    orphans: list[tuple[str, str, str, str]] = []

    def alias(old: tuple[str, str], new: tuple[str, str], since: object) -> None:
        """`old` is still read, as a deprecated name of `new`."""
        target = options.get(new)
        if target is None:
            orphans.append((*old, *new))
            return
        entry = options.get(old)
        if entry is None:
            entry = {k: v for k, v in target.items() if k in ("t", "d", "s", "e", "p")}
            options[old] = entry
            sections.add(old[0])
        deprecation = dict(entry.get("dep", {}))
        if since is not None:
            deprecation.setdefault("since", text_or_null(since))
        deprecation["to"] = [new[0], new[1]]
        entry["dep"] = deprecation

    for (section, key), value in sorted(dict_or_empty(attributes.get("enums_options"), "enums_options").items()):
        if (section, key) not in options:
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            options[(section, key)]["e"] = list(value)
        else:
            unresolved.append((section, key, value.source if isinstance(value, Unresolved) else repr(value)))

    for new, old in sorted(dict_or_empty(attributes.get("deprecated_options"), "deprecated_options").items()):
        alias((old[0], old[1]), new, old[2])
    for new, olds in sorted(dict_or_empty(attributes.get("many_to_one_deprecated_options"), "many_to_one_deprecated_options").items()):
        for old in olds:
            alias((old[0], old[1]), new, old[2])
    for new_section, (old_section, since) in sorted(dict_or_empty(attributes.get("deprecated_sections"), "deprecated_sections").items()):
        for section, key in sorted(k for k in list(options) if k[0] == new_section):
            alias((old_section, key), (section, key), since)
    add_undeclared()

    renames = []
    removed = []
    lint: dict[tuple[str, str], dict] = {}
    for change in configs_changes(core):
        old = change["config"]
        if change.get("renamed_to") is not None:
            renames.append((*old, *change["renamed_to"], None))  # type: ignore[misc]
        elif change.get("was_removed", True) and not change.get("default_change") and change.get("remove_if_equals") is None and change.get("is_invalid_if") is None:
            removed.append((*old, first_sentence(change.get("suggestion")) or None))  # type: ignore[misc]
        elif old in options:
            # What `airflow config lint` says of an option this release still reads.
            said = lint.setdefault(old, {})  # type: ignore[arg-type]
            if change.get("default_change"):
                said["defaultChange"] = [text_or_null(change.get("old_default")), text_or_null(change.get("new_default"))]
            if change.get("is_invalid_if") is not None:
                said["invalidValue"] = text_or_null(change["is_invalid_if"])
            if change.get("remove_if_equals") is not None:
                said.setdefault("droppedValues", []).append(text_or_null(change["remove_if_equals"]))
            if change.get("suggestion"):
                said["suggestion"] = first_sentence(change["suggestion"])
    for new, old in dict_or_empty(attributes.get("deprecated_options"), "deprecated_options").items():
        renames.append((old[0], old[1], new[0], new[1], text_or_null(old[2])))
    for new_section, (old_section, since) in dict_or_empty(attributes.get("deprecated_sections"), "deprecated_sections").items():
        for section, key in [k for k in options if k[0] == new_section]:
            renames.append((old_section, key, section, key, text_or_null(since)))

    return {
        "options": options,
        "free": set().union(*(r.whole for r in reads)) & sections,
        "unresolved": unresolved,
        "orphans": orphans,
        "renames": renames,
        "removed": removed,
        "lint": [(*key, json.dumps(said, sort_keys=True)) for key, said in lint.items()],
    }


def dict_or_empty(value: object, name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SystemExit(f"extract: {name} is not a literal dict: {getattr(value, 'source', value)}")
    return value


# --------------------------------------------------------------------------- the data file


def build(pins: dict) -> dict:
    releases = pins["releases"]
    minors = [r["minor"] for r in releases]
    read = [read_release(r) for r in releases]

    variants: dict[str, dict[str, list[dict]]] = {}
    for index, table in enumerate(read):
        for (section, key), entry in table["options"].items():
            slot = variants.setdefault(section, {}).setdefault(key, [])
            same = next((v for v in slot if {k: x for k, x in v.items() if k != "m"} == entry), None)
            if same is None:
                slot.append({**entry, "m": 1 << index})
            else:
                same["m"] |= 1 << index

    def masks(rows_per_minor: list[list[tuple]]) -> list[list]:
        merged: dict[tuple, int] = {}
        for index, rows in enumerate(rows_per_minor):
            for row in set(rows):
                merged[row] = merged.get(row, 0) | (1 << index)
        return [[*row, mask] for row, mask in sorted(merged.items(), key=lambda item: json.dumps(item[0]))]

    free: dict[str, int] = {}
    for index, table in enumerate(read):
        for section in table["free"]:
            free[section] = free.get(section, 0) | (1 << index)

    return {
        "$comment": "Generated by scripts/airflow-config/extract.py from the wheels pinned in scripts/airflow-config/pins.json; do not edit. Keys: docs/airflow-facts.md section 12 and compiler/airflow/config-options.ts.",
        "minors": minors,
        "releases": [{"release": r["core"]["version"], "providers": {n: p["version"] for n, p in sorted(r["providers"].items())}} for r in releases],
        "options": {s: {k: sorted(v, key=lambda e: e["m"]) for k, v in sorted(keys.items())} for s, keys in sorted(variants.items())},
        "freeForm": dict(sorted(free.items())),
        "renames": masks([t["renames"] for t in read]),
        "removed": masks([t["removed"] for t in read]),
        "unresolvedEnums": masks([t["unresolved"] for t in read]),
        "unreadAliases": masks([t["orphans"] for t in read]),
        "lint": [[s, k, json.loads(said), mask] for s, k, said, mask in masks([t["lint"] for t in read])],
    }


def render(data: dict) -> str:
    """Deterministic JSON: sorted keys, one option (all its variants) per line."""

    def dump(value: object) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    lines = ["{"]
    top = sorted(data.items())
    for i, (name, value) in enumerate(top):
        comma = "," if i < len(top) - 1 else ""
        if name == "options":
            lines.append(f'"options":{{')
            sections = list(value.items())
            for j, (section, keys) in enumerate(sections):
                lines.append(f"{dump(section)}:{{")
                items = list(keys.items())
                for k, (key, variants) in enumerate(items):
                    lines.append(f"{dump(key)}:{dump(variants)}{',' if k < len(items) - 1 else ''}")
                lines.append("}" + ("," if j < len(sections) - 1 else ""))
            lines.append("}" + comma)
        elif isinstance(value, list) and name != "minors":
            lines.append(f"{dump(name)}:[")
            for k, row in enumerate(value):
                lines.append(dump(row) + ("," if k < len(value) - 1 else ""))
            lines.append("]" + comma)
        else:
            lines.append(f"{dump(name)}:{dump(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- pins


def newest_patches() -> dict[str, str]:
    """Minor ('3.3') -> its newest final release on PyPI ('3.3.2'), from `pip index versions apache-airflow`."""
    listing = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "--disable-pip-version-check", "apache-airflow"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"^Available versions: (.*)$", listing, re.M)
    if match is None:
        raise SystemExit(f"extract: no version list in `pip index versions apache-airflow`:\n{listing}")
    newest: dict[str, str] = {}
    for version in match.group(1).split(", "):
        if not re.fullmatch(r"\d+\.\d+\.\d+", version):
            continue
        minor = version.rsplit(".", 1)[0]
        if minor not in newest or tuple(map(int, version.split("."))) > tuple(map(int, newest[minor].split("."))):
            newest[minor] = version
    return newest


def resolve(pins: dict) -> dict:
    """Each minor's newest patch, and provider versions as pins.json's `$comment` says (runtime lock, else uv)."""
    uv = os.environ.get("UV", "/opt/afc-runtime/uv/bin/uv")
    locks = ROOT / "test" / "runtime" / "requirements"
    newest = newest_patches()
    for release in pins["releases"]:
        if release["minor"] not in newest:
            raise SystemExit(f"extract: PyPI lists no apache-airflow {release['minor']}.x")
        version = newest[release["minor"]]
        release["core"] = {"dist": release["core"]["dist"], "version": version}
        release.pop("sdk", None)
        lock = locks / f"airflow-{version}.txt"
        if lock.exists():
            text = lock.read_text()
        else:
            request = f"apache-airflow[{','.join(pins['extras'])}]=={version}\ncelery<5.7\n"
            text = subprocess.run([uv, "pip", "compile", "--quiet", "--python-version", pins["python"], "-"], input=request, capture_output=True, text=True, check=True).stdout
        locked = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M))
        release["providers"] = {}
        for name in pins["providers"]:
            dist = provider_dist(name)
            if dist in locked:
                release["providers"][name] = {"version": locked[dist]}
        if "apache-airflow-task-sdk" in locked:
            release["sdk"] = {"dist": "apache-airflow-task-sdk", "version": locked["apache-airflow-task-sdk"]}
        for role, dist, v, _ in pinned_wheels(release):
            digest = sha256(download(dist, v))
            if role == "core":
                release["core"]["sha256"] = digest
            elif role == "sdk":
                release["sdk"]["sha256"] = digest
            else:
                release["providers"][role]["sha256"] = digest
    return pins


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DATA)
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed data file is not what the pinned wheels give")
    parser.add_argument("--download", action="store_true", help="only download the pinned wheels into the cache")
    parser.add_argument("--resolve", action="store_true", help="recompute pins.json")
    args = parser.parse_args()
    pins = json.loads(PINS.read_text())
    if args.resolve:
        PINS.write_text(json.dumps(resolve(pins), indent=2) + "\n")
        return
    if args.download:
        for release in pins["releases"]:
            for _role, dist, version, digest in pinned_wheels(release):
                open_wheel(dist, version, digest).close()
        return
    text = render(build(pins))
    if args.check:
        if DATA.read_text() != text:
            print(f"extract: {DATA.relative_to(ROOT)} differs from what the pinned wheels give; run scripts/airflow-config/extract.py", file=sys.stderr)
            sys.exit(1)
        return
    args.out.write_text(text)


if __name__ == "__main__":
    main()
