"""Read a YAML document once, with the line of every key, so a build error can name the line.

PyYAML's C loader (libyaml, built into PyYAML's wheels) reads the handbook's definitions and
facts about ten times faster than its pure-Python loader, with the same data and the same line
marks; the pure one is the fallback where PyYAML was built without libyaml.
"""

from __future__ import annotations

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def key_lines(node: yaml.Node, path: str = "") -> dict[str, int]:
    """Map each key path in a composed YAML document (``questions[3].scale``) to its 1-based line."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            lines[child] = key.start_mark.line + 1
            lines.update({k: v for k, v in key_lines(value, child).items() if k != child})
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(key_lines(item, f"{path}[{index}]"))
    return lines


def read_yaml(text: str, loader: type = SafeLoader) -> tuple[object, dict[str, int]]:
    """The document's data and the line of each key path, parsed once; raises yaml.YAMLError."""
    reader = loader(text)
    try:
        node = reader.get_single_node()
        data = reader.construct_document(node) if node is not None else None
    finally:
        reader.dispose()
    return data, key_lines(node) if node is not None else {}
