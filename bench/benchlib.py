"""What the benchmark scripts share."""

from __future__ import annotations

import json
from pathlib import Path


def emit(doc: dict, dest: str | None, print_table) -> None:
    """``--json DEST`` ('-': JSON on stdout instead of the table; a file: JSON there too), then
    the table unless the JSON went to stdout."""
    if dest:
        text = json.dumps(doc, indent=2)
        if dest == "-":
            print(text)
        else:
            Path(dest).write_text(text + "\n")
    if dest != "-":
        print_table(doc)
