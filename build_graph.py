#!/usr/bin/env python3
"""Build the knowledge graph and every output from the embedded default document.

This is what `make run` calls. Outputs go to build/ (see README.md):
the graph and its reports (`policy-kg build`), then the network analysis of that graph
(`policy-kg analyze`, which reads the Turtle just written), then the interactive views in
visualizations/ (`policy-kg viz`), the ontology's documentation, build/ontology.html
(`policy-kg ontology-doc`), and the static linked-data site, build/site/ (`policy-kg site`).
"""

import sys

from kg.cli import main
from kg.query import default_graph_path

STEPS = [
    ["build", "--out", "build"],
    ["dump", str(default_graph_path()), "--out", "build"],
    ["analyze", "--graph", str(default_graph_path()), "--out", "build"],
    ["viz", "--graph", str(default_graph_path()), "--out", "visualizations"],
    ["ontology-doc", "--out", "build/ontology.html"],
    ["site", "--graph", str(default_graph_path()), "--out", "build/site"],
]


def run() -> int:
    for args in STEPS:
        code = main.main(args=args, prog_name="build_graph.py", standalone_mode=False)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(run())
