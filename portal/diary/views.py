"""The family's diary pages: the diary home, new / view / edit / delete, and the child's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.decorators import guardian_required, role_required
from portal.auth.forms import EmptyForm
from portal.auth.models import Role
from portal.core.clock import today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.forms import Saved, save_form
from portal.core.ids import page_number
from portal.diary import entries, replies
from portal.diary.forms import (
    CHILD_STRENGTH,
    ChildEntryForm,
    EntryForm,
    MarkRepliesReadForm,
    entry_form_data,
    new_client_id,
    new_entry_defaults,
)
from portal.diary.models import DiaryEntry
from portal.diary.permissions import (
    can_change_entry,
    can_write_diary,
    get_entry_or_404,
)
from portal.diary.presenters import TEMPLATE_FILTERS, TEMPLATE_GLOBALS
from portal.infusions.placement import place, place_many
from portal.main.filters import short_date
from portal.patients.models import Patient
from portal.patients.permissions import can_view_patient, get_patient_or_404, visible_patients

bp = Blueprint("diary", __name__)


@dataclass(frozen=True)
class TodayStatus:
    """Today's entries by this user (newest last), or another guardian's entry for today."""

    mine: list[DiaryEntry]
    other: DiaryEntry | None

    @property
    def logged(self) -> bool:
        return bool(self.mine) or self.other is not None


for _name, _value in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_value, _name)
for _name, _value in TEMPLATE_FILTERS.items():
    bp.add_app_template_filter(_value, _name)

PER_PAGE = 20


def _writable_patient(patient_id: int) -> Patient:
    return get_patient_or_404(
        patient_id, current_user, check=lambda patient: can_write_diary(current_user, patient)
    )


@bp.get("/family/<int:patient_id>/diary")
@guardian_required
def home(patient_id: int):
    """A child's diary: today logged or not, alerts awaiting the clinic, the entries so far."""
    patient = get_patient_or_404(patient_id, current_user)
    day = today()
    page = db.paginate(
        entries.patient_entries(patient).options(selectinload(DiaryEntry.replies)),
        page=page_number(request.args.get("page")),
        per_page=PER_PAGE,
        error_out=False,
    )
    placements = place_many([e.entry_date for e in page.items], patient.courses)
    today_placement = place(day, patient.courses)
    return render_template(
        "diary/home.html",
        patient=patient,
        siblings=db.session.scalars(visible_patients(current_user)).all(),
        page=page,
        days=entries.group_by_day(list(page.items)),
        placements=placements,
        today_placement=today_placement,
        prompt=today_placement.within_after_window,
        waiting=entries.open_alerts_of(patient),
    )


@bp.app_template_global()
def today_status(patient: Patient) -> TodayStatus:
    """Whether today is logged for this child: by this user, or by another guardian."""
    day = today()
    mine = entries.entries_by_author_on(patient, current_user, day)
    return TodayStatus(mine=mine, other=None if mine else entries.guardian_entry_on(patient, day))


@bp.route("/family/<int:patient_id>/diary/new", methods=["GET", "POST"])
@guardian_required
def new_entry(patient_id: int):
    """The guardian's entry for today or an earlier day; one a day unless on purpose."""
    patient = _writable_patient(patient_id)
    another = request.args.get("another") == "1"
    if request.method == "GET":
        mine = entries.entries_by_author_on(patient, current_user, today())
        if mine and not another:
            return render_template("diary/already.html", patient=patient, mine=mine)
        form = _entry_form(new_entry_defaults(today(), entries.last_rash(patient)))
        form.another.data = another
    else:
        form = _entry_form()
    saved = _save(form, patient, another_same_day=bool(form.another.data))
    if saved:
        return _after_save(patient, saved.value)
    same_day = _same_day_entries(patient, form.date.data) if request.method == "POST" else []
    return render_template(
        "diary/entry_form.html",
        form=form,
        patient=patient,
        entry=None,
        same_day=same_day,
        offer_another=another or bool(same_day),
    )


def _same_day_entries(patient: Patient, text: object) -> list[DiaryEntry]:
    """This user's entries for the posted day, to offer changing one instead."""
    try:
        day = date.fromisoformat(str(text))
    except ValueError:
        return []
    return entries.entries_by_author_on(patient, current_user, day)


def _entry_form(data: dict | None = None) -> EntryForm:
    """The guardian's form; the date picker offers nothing after today."""
    form = EntryForm(data=data)
    form.date.render_kw = {"max": today().isoformat()}
    return form


def _save(
    form: EntryForm,
    patient: Patient,
    entry: DiaryEntry | None = None,
    *,
    another_same_day: bool = True,
) -> Saved[entries.SavedEntry]:
    """Hand the form to the diary; on refusal its messages go on the fields."""
    return save_form(
        form,
        lambda: entries.save_entry(
            patient,
            current_user,
            form.payload(),
            today=today(),
            entry=entry,
            another_same_day=another_same_day,
        ),
        fallback=form.fallback_field,
    )


def _after_save(patient: Patient, saved: entries.SavedEntry, *, edited: bool = False):
    if saved.alert is None or saved.alert.acknowledged_at is not None:
        if edited:
            message = "Your changes were saved."
        elif saved.created:
            message = "Entry saved."
        else:
            message = "This entry was already saved."
        flash(message, "success")
    return redirect(url_for("diary.entry", patient_id=patient.id, entry_id=saved.entry.id))


@bp.get("/family/<int:patient_id>/diary/<int:entry_id>")
@guardian_required
def entry(patient_id: int, entry_id: int):
    """One entry, where it sits on the calendar, any alert, and its history."""
    patient = get_patient_or_404(patient_id, current_user)
    record = get_entry_or_404(patient, entry_id, current_user)
    return render_template(
        "diary/entry.html",
        patient=patient,
        entry=record,
        placement=place(record.entry_date, patient.courses),
        alert=entries.latest_alert(record),
        can_change=can_change_entry(current_user, record),
    )


@bp.route("/family/<int:patient_id>/diary/<int:entry_id>/edit", methods=["GET", "POST"])
@guardian_required
def edit_entry(patient_id: int, entry_id: int):
    """Correct an entry; the earlier answers are kept as a version."""
    patient = _writable_patient(patient_id)
    record = get_entry_or_404(patient, entry_id, current_user, change=True)
    if request.method == "GET":
        form = _entry_form(entry_form_data(entries.entry_payload(record)))
    else:
        form = _entry_form()
    saved = _save(form, patient, entry=record)
    if saved:
        return _after_save(patient, saved.value, edited=True)
    return render_template("diary/entry_form.html", form=form, patient=patient, entry=record)


@bp.route("/family/<int:patient_id>/diary/<int:entry_id>/delete", methods=["GET", "POST"])
@guardian_required
def delete_entry(patient_id: int, entry_id: int):
    """Ask, then delete softly; the clinic keeps what it held."""
    patient = _writable_patient(patient_id)
    record = get_entry_or_404(patient, entry_id, current_user, delete=True)
    form = EmptyForm()
    if form.validate_on_submit():
        entries.delete_entry(record, current_user, now_utc())
        db.session.commit()
        flash(f"The entry for {short_date(record.entry_date)} was deleted.", "info")
        return redirect(url_for("diary.home", patient_id=patient.id))
    return render_template("diary/delete.html", patient=patient, entry=record, form=form)


@bp.route("/family/<int:patient_id>/my-day", methods=["GET", "POST"])
@role_required(Role.CHILD)
def child_entry(patient_id: int):
    """The child's own page: how they feel and how strong they feel, in their words."""
    patient = _writable_patient(patient_id)
    day = today()
    form = ChildEntryForm(data={"client_id": new_client_id()} if request.method == "GET" else None)

    def save() -> entries.SavedEntry:
        payload = {**form.payload(), "date": day.isoformat()}
        return entries.save_entry(patient, current_user, payload, today=day)

    if save_form(form, save, fallback=form.fallback_field):
        flash("Thank you! Your clinic can see how you feel.", "success")
        return redirect(url_for("diary.child_entry", patient_id=patient.id))
    own = entries.patient_entries(patient).where(DiaryEntry.author_role == "child").limit(5)
    return render_template(
        "diary/child.html",
        form=form,
        patient=patient,
        own=db.session.scalars(own).all(),
        child_strength=CHILD_STRENGTH,
    )


def _messages_page(patient: Patient, form: MarkRepliesReadForm):
    found = replies.replies_for_family(patient)
    return render_template("diary/messages.html", patient=patient, replies=found, form=form)


@bp.get("/family/<int:patient_id>/messages")
@guardian_required  # the clinic's answers to guardians' entries; a child's login has none
def messages(patient_id: int):
    """The clinic's replies about this child, newest first. Reading changes nothing."""
    patient = get_patient_or_404(patient_id, current_user)
    return _messages_page(patient, MarkRepliesReadForm(formdata=None))


@bp.post("/family/<int:patient_id>/messages/read")
@guardian_required
def mark_messages_read(patient_id: int):
    """Mark the ticked replies read (for every guardian of the child)."""
    patient = get_patient_or_404(patient_id, current_user)
    form = MarkRepliesReadForm()
    if not form.validate_on_submit():
        return _messages_page(patient, form)
    found = replies.replies_of_patient(patient, form.reply_ids.data)
    count = replies.mark_replies_read(found, current_user, now_utc())
    db.session.commit()
    flash(f"{count} message{'s' if count != 1 else ''} marked as read.", "success")
    return redirect(url_for("diary.messages", patient_id=patient.id))


@bp.app_template_global()
def unread_replies(patient: Patient) -> int:
    """For the guardian's home page marker: unread clinic replies about this child."""
    if not can_view_patient(current_user, patient) or current_user.role_enum is not Role.GUARDIAN:
        return 0
    return replies.unread_reply_count(patient.id)
