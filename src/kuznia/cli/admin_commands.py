"""``kuznia admin ...``: the first coordinator, and users' access in an emergency."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kuznia.cli.common import MARKUP, LightGroup, console, state

admin_app = typer.Typer(
    help="Administer users (there is no default password).",
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    cls=LightGroup,
)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password: str = typer.prompt(
        "Password (12+ characters)", hide_input=True, confirmation_prompt=True
    )
    return password


@admin_app.command("create")
def create(
    ctx: typer.Context,
    email: Annotated[str, typer.Option(help="The coordinator's email (their login).")],
    name: Annotated[str, typer.Option(help="Their full name.")] = "Coordinator",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a coordinator of the ministry (the first one, or another).

    Example: kuznia admin create --email olena@ministry.gov.ua --name "Olena K."
    """
    from kuznia.services.identity.users import create_admin
    from kuznia.services.kernel.actors import Actor

    password = _read_password(password_stdin)
    with state(ctx).database().unit_of_work(Actor.system("admin create")) as uow:
        user = create_admin(uow, email=email, name=name, password=password)
    console.print(
        f"coordinator [bold]{user['email']}[/] created (organisation {user['organisation_id']})"
    )
