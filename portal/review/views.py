"""The clinic's review of home reports, and the family's view of the clinic's replies."""

from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.decorators import clinician_required
from portal.auth.forms import EmptyForm
from portal.auth.views import safe_next
from portal.core.clock import local_time, today
from portal.core.database import now_utc
from portal.core.extensions import db
from portal.core.forms import save_form
from portal.core.ids import page_number
from portal.diary import alerts
from portal.diary.models import Alert, DiaryEntry
from portal.patients.contact_views import contacts_shown
from portal.patients.models import Patient
from portal.patients.permissions import (
    get_patient_object_or_404,
    get_patient_or_404,
    visible_patients,
)
from portal.review import actions, timeline
from portal.review import dashboard as dashboard_service
from portal.review.forms import (
    DashboardFilterForm,
    DashboardSearchForm,
    MarkReviewedForm,
    ReplyForm,
)
from portal.review.patient_list import apply_filters

bp = Blueprint("review", __name__)

WINDOW_DAYS = 84  # twelve weeks of home reports per page


def patient_links() -> dict[str, Callable[[int], str]]:
    """Link builders for long patient lists: one url_for per kind, not one per row.

    Building a URL through the routing map costs tens of microseconds; a dashboard of
    500 patients needs over a thousand of them, a visible share of its 300 ms budget.
    """
    marker = 987654321

    def builder(endpoint: str) -> Callable[[int], str]:
        template = url_for(endpoint, patient_id=marker)
        return lambda patient_id: template.replace(str(marker), str(int(patient_id)), 1)

    return {
        "review": builder("review.patient_review"),
        "chart": builder("charts.clinic"),
        "record": builder("clinic.patient"),
    }


@bp.route("/clinic/dashboard", methods=["GET", "POST"])
@clinician_required
def dashboard():
    """Triage first, then unreviewed reports, then the patient list: filtered, searched
    (by POST, so names stay out of URLs) and paged, 50 a page."""
    form = DashboardSearchForm()
    term = (form.q.data or "").strip() if form.validate_on_submit() else ""
    filter_form = DashboardFilterForm(request.values)
    filter_form.validate()
    day = today()
    visible = visible_patients(current_user)
    listed = apply_filters(dashboard_service.search(visible, term), filter_form.filters(), day)
    board = dashboard_service.build_dashboard(
        visible, listed, day, page=page_number(request.values.get("page"))
    )
    return render_template(
        "review/dashboard.html", board=board, form=form, term=term, today=day,
        filter_form=filter_form, filters=filter_form.filters(),
        filter_args=filter_form.query_args(), links=patient_links(),
        contacts=contacts_shown(item.patient for item in board.triage),
    )  # fmt: skip


@bp.post("/clinic/alerts/<int:alert_id>/acknowledge")
@clinician_required
def acknowledge(alert_id: int):
    """Take one alert off the triage list, recording who and when."""
    alert = get_patient_object_or_404(Alert, alert_id, current_user, manage=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if alerts.acknowledge(alert, current_user, now_utc()):
        flash(f"Alert for {alert.patient.name} acknowledged.", "success")
    else:
        flash("That alert had already been acknowledged.", "info")
    db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("review.dashboard"))


EARLIEST_END = date(1900, 3, 31)


def _window() -> tuple[date, date]:
    """The twelve weeks of reports shown, ending at ?end= (default and latest: today)."""
    end = today()
    # No or an unreadable end date means the latest twelve weeks; no record is older
    # than EARLIEST_END, and stepping back from year 1 would overflow the date.
    with suppress(ValueError):
        end = max(min(date.fromisoformat(request.args.get("end", "")), end), EARLIEST_END)
    return end - timedelta(days=WINDOW_DAYS - 1), end


def _groups(patient: Patient) -> tuple[date, date, list[DiaryEntry], list]:
    start, end = _window()
    entries = timeline.load_entries(patient, start, end)
    assessments = timeline.load_assessments(patient)
    groups = timeline.group_by_course(entries, patient.courses, assessments, (start, end))
    return start, end, entries, groups


def _review_page(patient: Patient, mark_form: MarkReviewedForm):
    start, end, entries, groups = _groups(patient)
    waiting = [e.id for e in entries if e.reviewed_at is None and e.deleted_at is None]
    return render_template(
        "review/patient.html",
        patient=patient,
        groups=groups,
        start=start,
        end=end,
        today=today(),
        earlier_end=start - timedelta(days=1),
        later_end=min(end + timedelta(days=WINDOW_DAYS), today()) if end < today() else None,
        older=timeline.unreviewed_before(patient, start),
        unreviewed=len(waiting),
        shown_ids=waiting,
        next_of=timeline.next_anchors(groups),
        here=_here(end),
        mark_form=mark_form,
        reply_form=ReplyForm(formdata=None),
        action_form=EmptyForm(),
    )


@bp.get("/clinic/patients/<int:patient_id>/review")
@clinician_required
def patient_review(patient_id: int):
    """Twelve weeks of home reports grouped by course, to read, mark and answer."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    return _review_page(patient, MarkReviewedForm(formdata=None))


def _here(end: date) -> str:
    """This review page's path, keeping the window shown (for returning to the same place)."""
    return url_for(
        "review.patient_review",
        patient_id=request.view_args["patient_id"],
        end=end.isoformat() if end != today() else None,
    )


def _after(ids: list[int], groups) -> str:
    """The anchor of the item after the last of these entries on the page."""
    anchors = timeline.next_anchors(groups)
    last = None
    for group in groups:
        for item in group.items:
            if item.kind == "entry" and item.entry.id in ids:
                last = item.anchor
    return anchors.get(last, timeline.END_ANCHOR) if last else timeline.END_ANCHOR


@bp.post("/clinic/patients/<int:patient_id>/review")
@clinician_required
def mark_reviewed(patient_id: int):
    """Mark the ticked reports (or every report shown) reviewed in one go; back to the same
    place on the page, at the item after the last one marked."""
    patient = get_patient_or_404(patient_id, current_user, manage=True)
    form = MarkReviewedForm()
    valid = form.validate_on_submit()
    if not (form.check_chosen() and valid):
        return _review_page(patient, form)
    entries = actions.entries_of_patient(patient, form.chosen_ids())
    count = actions.mark_reviewed(entries, current_user, now_utc())
    db.session.commit()
    flash(f"{count} report{'s' if count != 1 else ''} marked reviewed.", "success")
    start, end, _, groups = _groups(patient)
    return redirect(f"{_here(end)}#{_after([e.id for e in entries], groups)}")


@bp.route("/clinic/entries/<int:entry_id>/reply", methods=["GET", "POST"])
@clinician_required
def reply(entry_id: int):
    """Answer the family about one entry; the entry counts as reviewed."""
    entry = get_patient_object_or_404(DiaryEntry, entry_id, current_user, manage=True)
    form = ReplyForm()
    if save_form(
        form, lambda: actions.reply_to_entry(entry, current_user, form.text.data, now_utc())
    ):
        flash("Reply sent to the family.", "success")
        back = safe_next(request.form.get("next"))
        return redirect(back or url_for("review.patient_review", patient_id=entry.patient_id))
    view = timeline.group_by_course([entry], entry.patient.courses)[0].entries[0]
    return render_template("review/reply.html", item=view, patient=entry.patient, form=form)


@bp.app_template_filter("local_datetime")
def local_datetime(moment: datetime | None) -> str:
    """A stored UTC time as the clinic reads it: '3 Mar 2025 14:05'."""
    if moment is None:
        return ""
    local = local_time(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


bp.add_app_template_filter(alerts.reason_label, "reason_label")
