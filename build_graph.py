#!/usr/bin/env python3
"""Build the knowledge graph and every output from the embedded default document.

This is what `make run` calls. Outputs go to build/ (see README.md).
"""

import sys

from kg.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]], prog_name="build_graph.py"))
