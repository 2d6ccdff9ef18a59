"""``kuznia import ...``: spreadsheets (.xlsx, .csv) into the registries, and their templates."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kuznia.cli.choices import Kind
from kuznia.cli.common import MARKUP, LightGroup, console, err_console, real_console, state
from kuznia.errors import InvalidInput

# Spreadsheets, the registries and the database are imported by the command that runs.
if TYPE_CHECKING:
    from kuznia.spreadsheets.problems import SpreadsheetInvalid
    from kuznia.spreadsheets.report import ImportReport

import_app = typer.Typer(
    help="Import requirements, proposals, pledges, capacity projects (and capabilities) from "
    ".xlsx or .csv files.",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)


class FileFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Check and show what would change; write nothing.")
]
Show = Annotated[int, typer.Option(min=0, help="How many changed records to list.")]


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput.single("", f"cannot read {path}: {exc.strerror}") from None


@contextmanager
def row_progress() -> Iterator[Callable[[str, int, int | None], None]]:
    """A progress bar on stderr that the import service moves, stage by stage."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=real_console(err_console),
        transient=True,
    ) as progress:
        task = progress.add_task("reading", total=None)

        def update(stage: str, done: int, expected: int | None) -> None:
            progress.update(task, description=stage, completed=done, total=expected)

        yield update


def print_problems(exc: SpreadsheetInvalid) -> None:
    """Every problem, one per line (all of them: a planner fixes the file in one pass)."""
    sys.stderr.write("".join(f"{p.where}: {p.message}\n" for p in exc.row_problems))
    sys.stderr.flush()


def print_report(report: ImportReport, show: int) -> None:
    from rich.table import Table

    console.print(report.summary(), highlight=False, soft_wrap=True)
    changed = report.changed
    if not changed or show == 0:
        return
    table = Table("row", "id", "action", "changes", title=f"{report.kind}: changed records")
    for record in changed[:show]:
        fields = "; ".join(f"{f.field}: {f.old} -> {f.new}" for f in record.fields)
        table.add_row(str(record.row), record.record_id, record.action, fields or "(new)")
    console.print(table)
    if len(changed) > show:
        console.print(f"... and {len(changed) - show:,} more (--show N to list more)")


def run_import(ctx: typer.Context, kind: str | None, path: Path, dry_run: bool, show: int) -> None:
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.registries.spreadsheet_import import import_table
    from kuznia.services.registries.workbook_import import import_workbook
    from kuznia.spreadsheets.problems import SpreadsheetInvalid

    data = read_file(path)
    database = state(ctx).database()
    label = "import-dry-run" if dry_run else "import"
    try:
        with row_progress() as progress, database.unit_of_work(Actor.system(label)) as uow:
            if kind is None:
                book = import_workbook(uow, path.name, data, dry_run, progress=progress)
                reports: Sequence[ImportReport] = book.tables
                for change in book.settings:
                    console.print(f"settings: {change.field}: {change.old} -> {change.new}")
            else:
                reports = [import_table(uow, kind, path.name, data, dry_run, progress=progress)]
    except SpreadsheetInvalid as exc:
        print_problems(exc)
        # the listing is complete; the error handler adds the one-line summary (exit code 2)
        raise InvalidInput([], exc.message.splitlines()[0].removesuffix(":")) from None
    for report in reports:
        print_report(report, show)


def _kind_command(kind: str) -> None:
    def command(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help="A .xlsx or .csv file.")],
        dry_run: DryRun = False,
        show: Show = 20,
    ) -> None:
        run_import(ctx, kind, path, dry_run, show)

    command.__doc__ = (
        f"Import {kind} from a .xlsx or .csv file: all rows, or nothing if any row is wrong.\n\n"
        "Records are matched by id: new ones are created, changed ones updated, the same file "
        "imported again changes nothing. Every problem is listed with its row and column.\n\n"
        f"Example: kuznia import {kind} {kind}.xlsx --dry-run"
    )
    import_app.command(kind)(command)


for _kind in Kind:
    _kind_command(_kind.value)


@import_app.command("workbook")
def workbook(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="An .xlsx workbook as `kuznia export xlsx` writes.")],
    dry_run: DryRun = False,
    show: Show = 20,
) -> None:
    """Import a whole workbook: settings, capabilities, requirements, proposals, pledges sheets.

    Example: kuznia import workbook registries.xlsx --dry-run
    """
    run_import(ctx, None, path, dry_run, show)


@import_app.command("template")
def template_command(
    kind: Annotated[Kind, typer.Argument(help="Which table.")],
    file_format: Annotated[FileFormat, typer.Option("--format", help="xlsx or csv.")] = (
        FileFormat.XLSX
    ),
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write.")] = None,
) -> None:
    """Write an empty template: header (with notes), units row, one example row.

    Example: kuznia import template proposals --format xlsx --out proposals.xlsx
    """
    from kuznia.spreadsheets.workbook import template

    target = out or Path(f"{kind.value}.{file_format.value}")
    data = template(str(kind.value), file_format.value)
    target.write_bytes(data)
    console.print(f"wrote {target} ({len(data):,} bytes)")


@import_app.command("review")
def review_command(
    ctx: typer.Context,
    proposal: Annotated[
        list[str] | None, typer.Option("--proposal", help="A proposal to vet (repeatable).")
    ] = None,
    pledge: Annotated[
        list[str] | None, typer.Option("--pledge", help="A pledge to confirm (repeatable).")
    ] = None,
    everything: Annotated[
        bool,
        typer.Option("--all", help="Vet every submitted proposal, confirm every offered pledge."),
    ] = False,
) -> None:
    """Review imported records in bulk: vet proposals and confirm pledges (the ministry's step
    after an import, which registers them unreviewed); each change is in the audit trail and
    the transparency log.

    Example: kuznia import review --all
    """
    from kuznia.services.kernel.actors import Actor
    from kuznia.services.registries.review import review_in_bulk

    if not everything and not proposal and not pledge:
        raise InvalidInput.single("--all", "name --proposal or --pledge ids, or pass --all")
    with state(ctx).database().unit_of_work(Actor.system("review")) as uow:
        done = review_in_bulk(
            uow,
            proposals=None if everything else list(proposal or ()),
            pledges=None if everything else list(pledge or ()),
        )
    console.print(
        f"vetted {len(done.proposals)} proposals, confirmed {len(done.pledges)} pledges",
        highlight=False,
    )
