"""``.. api-reference:: _static/api-schema.yaml``: the API reference, generated from the schema.

The schema file is what drf-spectacular writes for the sandbox
(``manage.py spectacular``); a test keeps it current. Each operation becomes a
section: method and path, who may call it, its description, parameters,
request fields and answers.
"""

from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList
from sphinx.util.nodes import nested_parse_with_titles

METHODS = ("get", "post", "put", "patch", "delete")


def _ref(schema, node):
    while node and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node or {}


def _type(schema, node):
    node = node or {}
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[1]
    if node.get("type") == "array":
        return f"list of {_type(schema, node.get('items'))}"
    if "oneOf" in node or "allOf" in node:
        return " | ".join(_type(schema, n) for n in node.get("oneOf") or node.get("allOf"))
    kind = node.get("type", "object")
    return f"{kind} ({node['format']})" if node.get("format") else kind


def _clean(text):
    return " ".join(str(text or "").split())


def operation_lines(schema, path, method, op):
    lines = [f"``{method.upper()} {path}``", "~" * (len(path) + len(method) + 5), ""]
    security = op.get("security", [])
    lines += ["*No login needed.*" if security in ([], [{}]) else "*Login: Basic or session.*", ""]
    if op.get("description"):
        lines += [op["description"].strip(), ""]
    params = op.get("parameters", [])
    if params:
        lines += ["Parameters:", ""]
        for p in params:
            lines.append(
                f"* ``{p['name']}`` ({p['in']}, {_type(schema, p.get('schema'))}"
                f"{', required' if p.get('required') else ''}): {_clean(p.get('description'))}"
            )
        lines.append("")
    body = op.get("requestBody", {}).get("content", {})
    if body:
        media, content = next(iter(body.items()))
        fields = _ref(schema, content.get("schema")).get("properties", {})
        required = _ref(schema, content.get("schema")).get("required", [])
        lines += [f"Request body (``{media}``):", ""]
        for name, field in fields.items():
            field_schema = _ref(schema, field) if "$ref" in field else field
            lines.append(
                f"* ``{name}`` ({_type(schema, field)}"
                f"{', required' if name in required else ''}): "
                f"{_clean(field_schema.get('description'))}"
            )
        lines.append("")
    lines += ["Answers:", ""]
    for code, answer in op.get("responses", {}).items():
        content = answer.get("content", {}).get("application/json", {})
        shape = _type(schema, content.get("schema")) if content else "empty"
        lines.append(f"* ``{code}`` ({shape}): {_clean(answer.get('description'))}")
    lines.append("")
    return lines


class ApiReference(Directive):
    required_arguments = 1

    def run(self):
        env = self.state.document.settings.env
        source = Path(env.srcdir) / self.arguments[0]
        env.note_dependency(str(source))
        schema = yaml.safe_load(source.read_text())
        lines = []
        for path, methods in schema["paths"].items():
            for method in METHODS:
                if method in methods:
                    lines += operation_lines(schema, path, method, methods[method])
        container = nodes.section()
        nested_parse_with_titles(self.state, StringList(lines, source=str(source)), container)
        return container.children


def setup(app):
    app.add_directive("api-reference", ApiReference)
    return {"parallel_read_safe": True}
