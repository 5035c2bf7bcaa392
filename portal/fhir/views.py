"""FHIR downloads: a patient's Bundle for their clinic and their guardians, and the
Questionnaire and CodeSystem the bundles name."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_login import current_user

from portal.audit.trail import audit
from portal.auth.decorators import clinician_required, guardian_required
from portal.core.clock import today
from portal.core.database import now_utc
from portal.fhir.patient_bundle import bundle_json, patient_bundle
from portal.fhir.questionnaire import diary_questionnaire, measures_codesystem
from portal.patients.permissions import get_patient_or_404

bp = Blueprint("fhir", __name__)

FHIR_JSON = "application/fhir+json"


def _bundle_download(patient_id: int) -> Response:
    patient = get_patient_or_404(patient_id, current_user)
    body = bundle_json(patient_bundle(patient, now_utc(), today()))
    audit(
        "export",
        object_type="patients",
        object_id=patient.id,
        patient_id=patient.id,
        fields=("fhir",),
    )
    # A neutral file name: the child's name stays out of download folders and logs.
    return Response(
        body,
        mimetype=FHIR_JSON,
        headers={
            "Content-Disposition": f'attachment; filename="ivig-diary-fhir-{patient.id}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/clinic/patients/<int:patient_id>/fhir.json")
@clinician_required
def clinic_bundle(patient_id: int):
    """The patient's record as a FHIR R4 Bundle (collection), for the patient's clinic."""
    return _bundle_download(patient_id)


@bp.get("/family/<int:patient_id>/fhir.json")
@guardian_required
def family_bundle(patient_id: int):
    """The child's record as a FHIR R4 Bundle, for the child's guardians."""
    return _bundle_download(patient_id)


@bp.get("/fhir/R4/Questionnaire/home-diary")
def questionnaire():
    """The home diary's Questionnaire: no patient data, public like any published form."""
    return Response(diary_questionnaire().model_dump_json(exclude_none=True), mimetype=FHIR_JSON)


@bp.get("/fhir/R4/CodeSystem/jdm-measures")
def codesystem():
    """The portal's local codes: no patient data, public."""
    return Response(measures_codesystem().model_dump_json(exclude_none=True), mimetype=FHIR_JSON)
