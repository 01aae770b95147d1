"""The ``policy-kg`` command line: a thin layer over the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import PolicyKGError, ValidationFailed
from .vocab import DEFAULT_BASE


class _Group(click.Group):
    """Turns the toolkit's errors into one line on stderr and an exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            click.echo(exc.report_text, err=True, nl=False)
            click.echo(f"policy-kg: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except PolicyKGError as exc:
            click.echo(f"policy-kg: error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policy-kg")
def main() -> None:
    """Turn Chinese government policy documents into a validated knowledge graph."""


@main.command("build")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="build", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the outputs.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the instance data.")
def build_cmd(sources: tuple[Path, ...], out_dir: Path, base: str) -> None:
    """Parse SOURCE files (default: the embedded Wenzhou document), validate, write Turtle and reports.

    Writes OUT/<name>.ttl, OUT/<name>.validation.txt and OUT/<name>.quality.md for each source,
    and nothing at all if any source fails.
    """
    from .build import build

    for built in build(list(sources) or None, out_dir, base):
        click.echo(built.summary())
        for path in built.outputs:
            if path.suffix != ".ttl":
                click.echo(f"  wrote {path}")


@main.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate_cmd(files: tuple[Path, ...]) -> None:
    """Validate RDF FILES (Turtle, N-Triples, JSON-LD…) against the policy-kg shapes."""
    from .build import load_graph
    from .validate import validate_graph

    graph = load_graph(list(files))
    result = validate_graph(graph)
    name = ", ".join(map(str, files))
    if not result.conforms:
        raise ValidationFailed(result.report(name), len(result.errors))
    click.echo(result.report(name), nl=False)


def run() -> None:  # pragma: no cover - console-script entry point
    sys.exit(main())
