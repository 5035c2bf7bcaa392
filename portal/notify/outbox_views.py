"""/dev/outbox: development's kept emails (registered only where MAIL_OUTBOX is on)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from portal.notify import outbox

bp = Blueprint("dev_outbox", __name__, url_prefix="/dev/outbox")


@bp.get("/")
def index():
    messages = outbox.kept_messages(current_app.instance_path)
    return render_template("notify/outbox.html", messages=messages)


@bp.get("/<name>")
def message(name: str):
    kept = outbox.read_kept(current_app.instance_path, name)
    if kept is None:
        abort(404)
    body = kept.get_body(preferencelist=("plain",))
    return render_template(
        "notify/outbox_message.html",
        kept=kept,
        body=body.get_content() if body else "",
        headers=[(key, kept[key]) for key in kept if key.lower() not in ("content-type",)],
    )
