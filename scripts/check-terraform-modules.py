#!/usr/bin/env python3
"""Static checks of the Terraform under infra/ that need no provider (terraform validate does,
so it runs in the GitHub workflow): every module and environment is parsed with python-hcl2 and

  - every variable and output has a description, and every variable a type;
  - nothing hard-codes a project: a `project`/`project_id` argument is an expression, never a
    literal, no variable defaults to a project id, and no literal names one inside a resource
    name (projects/<id>/, <region>-docker.pkg.dev/<id>/, @<id>.iam.gserviceaccount.com,
    <id>.svc.id.goog);
  - references resolve: var.X, local.X and module.M.O name a declared variable, local, module
    call and an output of that module's source;
  - module calls fit their module: each argument is one of its variables, each variable without
    a default is passed, and every module under modules/ is called from an environment.

Usage: check-terraform-modules.py [--graph] [ROOT]   (ROOT: default infra/ of this repository)
Prints one line per problem (file:line: what is wrong and what to change) and exits 1 if any,
0 otherwise. --graph prints, instead, the references of each environment as JSON:
{"<env>": {"module.<name>": {"source": …, "args": {"<arg>": [refs]}}, "local.<name>": [refs]}},
which the tests read to check that outputs are wired where they must go.
Run with the tooling venv of scripts/prepare-test-tools.sh (.venv-infra), which has python-hcl2.
"""

import json
import re
import sys
from pathlib import Path

import hcl2

META_ARGS = {"source", "version", "count", "for_each", "depends_on", "providers"}
DOC_KEYS = {"description", "error_message"}
PROJECT_ID = r"[a-z][a-z0-9-]{4,28}[a-z0-9]"
LITERAL_PROJECT_PATTERNS = [
    (re.compile(rf"projects/({PROJECT_ID})(/|$)"), "projects/<id>"),
    (re.compile(rf"-docker\.pkg\.dev/({PROJECT_ID})/"), "an Artifact Registry path"),
    (re.compile(rf"@({PROJECT_ID})\.iam\.gserviceaccount\.com"), "a service account email"),
    (re.compile(rf"\b({PROJECT_ID})\.svc\.id\.goog"), "a workload identity pool"),
]
REF = re.compile(r"(?<![\w.])(var|local|module)\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w-]*))?")
INTERPOLATION = re.compile(r"\$\{(?:[^{}]|\{[^{}]*\})*\}")


def unquote(label):
    return label[1:-1] if len(label) >= 2 and label[0] == '"' and label[-1] == '"' else label


def is_literal(value):
    """A quoted string with no interpolation (python-hcl2 keeps the quotes on literals)."""
    return isinstance(value, str) and value.startswith('"') and "${" not in value


def strings(value, skip_docs=True):
    """Every string inside a parsed value (attribute values, list items, nested blocks)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, skip_docs)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key.startswith("__") or (skip_docs and key in DOC_KEYS):
                continue
            yield from strings(item, skip_docs)


def refs_in(value):
    out = []
    for text in strings(value):
        for kind, name, attr in REF.findall(text):
            out.append(f"{kind}.{name}.{attr}" if kind == "module" and attr else f"{kind}.{name}")
    return sorted(set(out))


class Config:
    """One folder of .tf files: its blocks by kind, and where each block starts."""

    def __init__(self, folder):
        self.folder = folder
        self.variables, self.outputs, self.locals, self.modules = {}, {}, {}, {}
        self.blocks = []  # (file, kind, labels, body)
        self.texts = {}
        for path in sorted(folder.glob("*.tf")):
            text = path.read_text()
            self.texts[path] = text
            try:
                parsed = hcl2.loads(text)
            except Exception as error:  # python-hcl2 raises lark errors of several kinds
                raise SystemExit(f"{path}: cannot parse: {error}") from error
            for kind, entries in parsed.items():
                if kind.startswith("__"):
                    continue
                for entry in entries:
                    self._add(path, kind, entry)

    def _add(self, path, kind, entry):
        if kind == "locals":
            for name, value in entry.items():
                if not name.startswith("__"):
                    self.locals[name] = (path, value)
            return
        if kind in ("terraform", "provider", "moved", "import", "check"):
            self.blocks.append((path, kind, [], entry))
            return
        for label, body in entry.items():
            labels = [unquote(label)]
            while isinstance(body, dict) and len(body) == 1 and next(iter(body)).startswith('"'):
                inner = next(iter(body))
                labels.append(unquote(inner))
                body = body[inner]
            self.blocks.append((path, kind, labels, body))
            if kind == "variable":
                self.variables[labels[0]] = (path, body)
            elif kind == "output":
                self.outputs[labels[0]] = (path, body)
            elif kind == "module":
                self.modules[labels[0]] = (path, body)

    def where(self, path, kind, labels):
        """file:line of a block header, for messages."""
        header = re.compile(rf'^\s*{kind}\s+"{re.escape(labels[0])}"' if labels else rf"^\s*{kind}\b")
        shown = display(path)
        for number, line in enumerate(self.texts[path].splitlines(), 1):
            if header.search(line):
                return f"{shown}:{number}"
        return shown


def display(path):
    """A path relative to the working directory when it is under it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_documented(config, problems):
    for name, (path, body) in config.variables.items():
        at = config.where(path, "variable", [name])
        if not is_literal(body.get("description")) or unquote(body["description"]).strip() == "":
            problems.append(f'{at}: variable "{name}" has no description: add description = "what it sets, and its unit"')
        if "type" not in body:
            problems.append(f'{at}: variable "{name}" has no type: add type = string (or number, bool, list(string), …)')
    for name, (path, body) in config.outputs.items():
        if not is_literal(body.get("description")) or unquote(body["description"]).strip() == "":
            problems.append(f'{config.where(path, "output", [name])}: output "{name}" has no description: add description = "what it is and who reads it"')


def check_no_project_literals(config, problems):
    locals_ = [(path, "locals", [], {name: value}) for name, (path, value) in config.locals.items()]
    for path, kind, labels, body in config.blocks + locals_:
        at = config.where(path, kind, labels)
        what = f'{kind} {" ".join(chr(34) + l + chr(34) for l in labels)}'.strip()
        if kind == "variable":
            if re.search(r"(^|_)project(_id)?$", labels[0]) and is_literal(body.get("default")):
                problems.append(f"{at}: {what} defaults to {body['default']}: a project id comes from the caller, drop the default")
            continue
        if isinstance(body, dict):
            for key in ("project", "project_id"):
                if is_literal(body.get(key)):
                    problems.append(f"{at}: {what} sets {key} = {body[key]}: pass the project in (var.project_id), never a literal")
        for text in strings(body):
            literal = INTERPOLATION.sub("", text)
            for pattern, kind_of in LITERAL_PROJECT_PATTERNS:
                match = pattern.search(literal)
                if match:
                    problems.append(f'{at}: {what} names project "{match.group(1)}" in {kind_of} ({text}): build it from var.project_id')


def check_references(config, configs, problems):
    def complain(path, kind, labels, message):
        problems.append(f"{config.where(path, kind, labels)}: {message}")

    items = [(path, kind, labels, body) for path, kind, labels, body in config.blocks if kind != "variable"]
    items += [(path, "locals", [], {name: value}) for name, (path, value) in config.locals.items()]
    items += [(path, "variable", [name], {"validation": body.get("validation", [])}) for name, (path, body) in config.variables.items()]
    for path, kind, labels, body in items:
        for ref in refs_in(body):
            parts = ref.split(".")
            if parts[0] == "var" and parts[1] not in config.variables:
                complain(path, kind, labels, f"{ref} is not a variable of {display(config.folder)}: declare it in variables.tf or fix the name")
            elif parts[0] == "local" and parts[1] not in config.locals:
                complain(path, kind, labels, f"{ref} is not a local of {display(config.folder)}: define it in a locals block or fix the name")
            elif parts[0] == "module":
                if parts[1] not in config.modules:
                    complain(path, kind, labels, f"{ref}: there is no module \"{parts[1]}\" in {display(config.folder)}")
                elif len(parts) == 3:
                    child = configs.get(module_folder(config, parts[1]))
                    if child is not None and parts[2] not in child.outputs:
                        complain(path, kind, labels, f'{ref}: module "{parts[1]}" ({display(child.folder)}) has no output "{parts[2]}": add it to its outputs.tf or fix the name')


def module_folder(config, name):
    source = config.modules[name][1].get("source")
    if not is_literal(source) or not unquote(source).startswith("."):
        return None
    return (config.folder / unquote(source)).resolve()


def check_module_calls(config, configs, problems):
    for name, (path, body) in config.modules.items():
        at = config.where(path, "module", [name])
        folder = module_folder(config, name)
        child = configs.get(folder) if folder else None
        if child is None:
            problems.append(f'{at}: module "{name}" has source {body.get("source")}, which is not a module folder of this repository')
            continue
        passed = {key for key in body if not key.startswith("__") and key not in META_ARGS}
        for key in sorted(passed - set(child.variables)):
            problems.append(f'{at}: module "{name}" passes {key}, which {display(child.folder)} does not declare: add the variable there or drop the argument')
        for variable, (_, spec) in sorted(child.variables.items()):
            if "default" not in spec and variable not in passed:
                problems.append(f'{at}: module "{name}" does not pass {variable}, which {display(child.folder)} requires (no default)')


def graph(config):
    out = {}
    for name, (_, body) in config.modules.items():
        args = {key: refs_in(value) for key, value in body.items() if not key.startswith("__") and key not in DOC_KEYS}
        out[f"module.{name}"] = {"source": unquote(body.get("source", "")), "args": args}
    for name, (_, value) in config.locals.items():
        out[f"local.{name}"] = refs_in(value)
    return out


def main(argv):
    want_graph = "--graph" in argv
    args = [a for a in argv if a != "--graph"]
    root = Path(args[0] if args else Path(__file__).resolve().parent.parent / "infra").resolve()
    modules = sorted(p for p in (root / "modules").glob("*") if p.is_dir())
    envs = sorted(p for p in (root / "envs").glob("*") if p.is_dir())
    if not envs:
        print(f"{root}: no environments under envs/", file=sys.stderr)
        return 1
    configs = {folder.resolve(): Config(folder) for folder in modules + envs}
    if want_graph:
        print(json.dumps({env.name: graph(configs[env.resolve()]) for env in envs}, indent=2, sort_keys=True))
        return 0
    problems = []
    for config in configs.values():
        check_documented(config, problems)
        check_no_project_literals(config, problems)
        check_references(config, configs, problems)
        check_module_calls(config, configs, problems)
    called = {module_folder(configs[env.resolve()], name) for env in envs for name in configs[env.resolve()].modules}
    for folder in modules:
        if folder.resolve() not in called:
            problems.append(f"{display(folder)}: no environment calls this module: wire it in an envs/*/ file or delete it")
    for problem in problems:
        print(problem)
    count = sum(len(c.variables) for c in configs.values())
    print(f"check-terraform-modules: {len(modules)} modules, {len(envs)} environments, {count} variables: "
          + (f"{len(problems)} problems" if problems else "ok"), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
