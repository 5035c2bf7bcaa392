"""One patient's record as a FHIR R4 Bundle of type collection (fhir.resources R4B models).

Everything comes through the ORM, so soft-deleted assessments, courses and medication
records are left out by portal.core.versions; diary entries deleted by a family are left
out here, with their alerts and the clinic's replies to them. Staff are never named: a
reply is sent by the clinic (an Organization), not by a person.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.assessments import measures
from portal.assessments.models import Assessment
from portal.core.extensions import db
from portal.diary.models import Alert, DiaryEntry
from portal.fhir import codes
from portal.fhir.questionnaire import (
    SYMPTOM_GROUP,
    SYMPTOM_QUESTIONS,
    TOP,
    WARNING_GROUP,
    WARNING_QUESTIONS,
    Question,
    canonical,
)
from portal.infusions.models import CourseStatus, InfusionCourse
from portal.medications.models import MedicationRecord, WeightRecord
from portal.medications.steroids import Weight, weight_in_force
from portal.patients.models import Patient
from portal.review.models import Reply

NAMESPACE = uuid.UUID("7b0f3c52-5d0e-4c1f-9a37-2f4f1d6b9e10")
GENDERS = {"female": "female", "male": "male", "other": "other"}


def full_url(resource_type: str, key: str) -> str:
    """A stable urn:uuid for one record: the same record gives the same URL every export."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{resource_type}/{key}')}"


def _ref(url: str) -> dict:
    return {"reference": url}


def _coding(system: str, code: str, display: str) -> dict:
    return {"system": system, "code": code, "display": display}


def _local(code: str) -> dict:
    return {"coding": [_coding(codes.LOCAL_SYSTEM, code, codes.LOCAL_CODES[code])]}


def _category(code: str, display: str) -> list[dict]:
    return [{"coding": [_coding(codes.OBSERVATION_CATEGORY, code, display)]}]


def _instant(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass
class Collector:
    """The resources of the bundle, in order, each under its stable fullUrl."""

    entries: list[tuple[str, dict]] = field(default_factory=list)

    def add(self, key: str, resource: dict) -> str:
        url = full_url(resource["resourceType"], key)
        resource.setdefault("id", str(uuid.UUID(url.removeprefix("urn:uuid:"))))
        self.entries.append((url, resource))
        return url


@dataclass(frozen=True)
class Record:
    """What the bundle is built from: the patient and their records on file."""

    patient: Patient
    assessments: list[Assessment]
    entries: list[DiaryEntry]
    courses: list[InfusionCourse]
    medications: list[MedicationRecord]
    weights: list[WeightRecord]
    alerts: list[Alert]
    replies: list[Reply]


def load_record(patient: Patient) -> Record:
    """The patient's records on file (deleted ones left out), oldest first."""

    def rows(query):
        return list(db.session.scalars(query))

    entries = rows(
        select(DiaryEntry)
        .where(DiaryEntry.patient_id == patient.id, DiaryEntry.deleted_at.is_(None))
        .order_by(DiaryEntry.entry_date, DiaryEntry.id)
    )
    live = {e.id for e in entries}
    return Record(
        patient=patient,
        assessments=rows(
            select(Assessment)
            .where(Assessment.patient_id == patient.id)
            .order_by(Assessment.assessed_on, Assessment.id)
        ),
        entries=entries,
        courses=rows(
            select(InfusionCourse)
            .where(InfusionCourse.patient_id == patient.id)
            .options(selectinload(InfusionCourse.lots))
            .order_by(InfusionCourse.start_date, InfusionCourse.id)
        ),
        medications=rows(
            select(MedicationRecord)
            .where(MedicationRecord.patient_id == patient.id)
            .order_by(MedicationRecord.start_date, MedicationRecord.id)
        ),
        weights=rows(
            select(WeightRecord)
            .where(WeightRecord.patient_id == patient.id)
            .order_by(WeightRecord.measured_on)
        ),
        alerts=[
            a
            for a in rows(select(Alert).where(Alert.patient_id == patient.id).order_by(Alert.id))
            if a.entry_id in live
        ],
        replies=[
            r
            for r in rows(select(Reply).where(Reply.patient_id == patient.id).order_by(Reply.id))
            if r.entry_id in live
        ],
    )


def _organization(out: Collector, patient: Patient) -> str:
    clinic = patient.clinic
    resource: dict[str, Any] = {"resourceType": "Organization", "name": clinic.name, "active": True}
    if clinic.phone:
        resource["telecom"] = [{"system": "phone", "value": clinic.phone, "use": "work"}]
    return out.add(f"clinic-{clinic.id}", resource)


def _patient(out: Collector, patient: Patient, organization: str) -> str:
    given, _, family = patient.name.strip().rpartition(" ")
    name: dict[str, Any] = {"use": "official", "text": patient.name}
    if given:
        name |= {"family": family, "given": given.split()}
    resource = {
        "resourceType": "Patient",
        "identifier": [
            {
                "use": "usual",
                "system": f"{codes.PATIENT_REF_SYSTEM}/{patient.clinic_id}",
                "value": patient.patient_ref,
            }
        ],
        "name": [name],
        "gender": GENDERS[patient.sex],
        "birthDate": patient.date_of_birth.isoformat(),
        "managingOrganization": _ref(organization),
    }
    return out.add(f"patient-{patient.id}", resource)


def _condition(out: Collector, patient: Patient, subject: str) -> None:
    code, display = codes.JDM
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "clinicalStatus": {"coding": [_coding(codes.CONDITION_CLINICAL, "active", "Active")]},
        "verificationStatus": {
            "coding": [_coding(codes.CONDITION_VERIFICATION, "confirmed", "Confirmed")]
        },
        "category": [
            {
                "coding": [
                    _coding(codes.CONDITION_CATEGORY, "problem-list-item", "Problem List Item")
                ]
            }
        ],
        "code": {"coding": [_coding(codes.ICD10, code, display)], "text": display},
        "subject": _ref(subject),
    }
    if patient.onset_date:
        resource["onsetDateTime"] = patient.onset_date.isoformat()
    out.add(f"condition-jdm-{patient.id}", resource)


def _value(measure: measures.Measure, value: float) -> dict:
    if measure.whole:
        return {"valueInteger": int(value)}
    quantity: dict[str, Any] = {"value": float(value)}
    if measure.unit:
        quantity |= {"unit": measure.unit, "system": codes.UCUM, "code": measure.unit}
    return {"valueQuantity": quantity}


def _measure_code(name: str, label: str) -> dict:
    if name in codes.LOINC_ENZYMES:
        code, display = codes.LOINC_ENZYMES[name]
        return {"coding": [_coding(codes.LOINC, code, display)], "text": label}
    return _local(name) | {"text": label}


def _assessment(out: Collector, assessment: Assessment, subject: str) -> None:
    day = assessment.assessed_on.isoformat()
    myometry: list[str] = []
    for measure in measures.RECORDED:
        value = getattr(assessment, measure.name)
        if value is None:
            continue
        lab = measure.name in codes.LOINC_ENZYMES
        url = out.add(
            f"assessment-{assessment.id}-{measure.name}",
            {
                "resourceType": "Observation",
                "status": "final",
                "category": _category("laboratory", "Laboratory")
                if lab
                else _category("exam", "Exam"),
                "code": _measure_code(measure.name, measure.label),
                "subject": _ref(subject),
                "effectiveDateTime": day,
                **_value(measure, value),
            },
        )
        if measure.name.startswith("myometry_"):
            myometry.append(url)
    mean = assessment.mean_myometry
    if mean is not None:
        out.add(
            f"assessment-{assessment.id}-mean_myometry",
            {
                "resourceType": "Observation",
                "status": "final",
                "category": _category("exam", "Exam"),
                "code": _measure_code("mean_myometry", measures.MEAN_MYOMETRY.label),
                "subject": _ref(subject),
                "effectiveDateTime": day,
                "valueQuantity": {"value": mean},
                "derivedFrom": [_ref(url) for url in myometry],
            },
        )


def _answer(question: Question, value: Any) -> dict | None:
    if value is None or value == "":
        return None
    if question.kind == "date":
        answer = {"valueDate": value.isoformat()}
    elif question.kind == "integer":
        answer = {"valueInteger": int(value)}
    elif question.kind == "decimal":
        answer = {"valueDecimal": float(value)}
    elif question.kind == "boolean":
        answer = {"valueBoolean": bool(value)}
    else:
        answer = {"valueString": str(value)}
    return {"linkId": question.link_id, "text": question.text, "answer": [answer]}


def _answers(questions: tuple[Question, ...], entry: DiaryEntry) -> list[dict]:
    found = (_answer(q, getattr(entry, q.column)) for q in questions)
    return [item for item in found if item is not None]


def _diary_entry(out: Collector, entry: DiaryEntry, subject: str) -> str:
    items = _answers(TOP, entry)
    for link_id, questions in (
        (SYMPTOM_GROUP, SYMPTOM_QUESTIONS),
        (WARNING_GROUP, WARNING_QUESTIONS),
    ):
        nested = _answers(questions, entry)
        if nested:
            items.append({"linkId": link_id, "item": nested})
    response = out.add(
        f"diary-entry-{entry.id}",
        {
            "resourceType": "QuestionnaireResponse",
            "identifier": {
                "system": f"{codes.CANONICAL}/diary-entry-client-id",
                "value": entry.client_id,
            },
            "questionnaire": canonical(),
            "status": "completed",
            "subject": _ref(subject),
            "authored": _instant(entry.created_at),
            "item": items,
        },
    )
    day = entry.entry_date.isoformat()
    for question in SYMPTOM_QUESTIONS:
        grade = getattr(entry, question.column)
        if not grade:
            continue
        out.add(
            f"diary-entry-{entry.id}-{question.link_id}",
            {
                "resourceType": "Observation",
                "status": "final",
                "category": _category("survey", "Survey"),
                "code": _local(question.link_id),
                "subject": _ref(subject),
                "effectiveDateTime": day,
                "valueInteger": int(grade),
                "derivedFrom": [_ref(response)],
            },
        )
    if entry.temperature_c is not None:
        code, display = codes.BODY_TEMPERATURE
        out.add(
            f"diary-entry-{entry.id}-temperature",
            {
                "resourceType": "Observation",
                "status": "final",
                "category": _category("vital-signs", "Vital Signs"),
                "code": {"coding": [_coding(codes.LOINC, code, display)], "text": display},
                "subject": _ref(subject),
                "effectiveDateTime": day,
                "valueQuantity": {
                    "value": float(entry.temperature_c),
                    "unit": "°C",
                    "system": codes.UCUM,
                    "code": "Cel",
                },
                "derivedFrom": [_ref(response)],
            },
        )
    return response


def _weights(record: Record) -> list[Weight]:
    return [Weight(w.measured_on, w.weight_kg) for w in record.weights]


def _course(out: Collector, course: InfusionCourse, record: Record, subject: str) -> None:
    if course.status != CourseStatus.GIVEN.value:
        return  # a planned or cancelled course gave nothing
    code, display = codes.IVIG_ATC
    medication: dict[str, Any] = {
        "resourceType": "Medication",
        "id": "ivig",
        "code": {
            "coding": [_coding(codes.ATC, code, display)],
            "text": course.product or "Intravenous immunoglobulin",
        },
    }
    if course.lots:
        # Medication.batch holds one lot number; a course given from several lots names all.
        medication["batch"] = {"lotNumber": ", ".join(course.lot_numbers)}
    in_force = weight_in_force(_weights(record), course.start_date, record.patient.weight_kg)
    daily_g_per_kg = course.daily_mg_per_kg / 1000
    for index in range(course.days):
        day = course.start_date + timedelta(days=index)
        text = (
            f"{daily_g_per_kg:g} g/kg ({course.daily_mg_per_kg:g} mg/kg) on day {index + 1} "
            f"of {course.days}; course {course.regimen}"
        )
        dosage: dict[str, Any] = {"route": {"text": "Intravenous"}}
        if in_force is not None:
            total = round(daily_g_per_kg * in_force.kg, 2)
            text += f"; {total:g} g for {in_force.kg:g} kg"
            dosage["dose"] = {"value": total, "unit": "g", "system": codes.UCUM, "code": "g"}
        dosage["text"] = text
        out.add(
            f"course-{course.id}-day-{index + 1}",
            {
                "resourceType": "MedicationAdministration",
                "contained": [dict(medication)],
                "status": "completed",
                "medicationReference": {"reference": "#ivig"},
                "subject": _ref(subject),
                "effectivePeriod": {"start": day.isoformat(), "end": day.isoformat()},
                "dosage": dosage,
            },
        )


def _medication(out: Collector, record: MedicationRecord, subject: str, today: date) -> None:
    concept: dict[str, Any] = {"text": record.name}
    if record.agent in codes.AGENT_ATC:
        code, display = codes.AGENT_ATC[record.agent]
        concept["coding"] = [_coding(codes.ATC, code, display)]
    period = {"start": record.start_date.isoformat()}
    if record.stop_date:
        period["end"] = record.stop_date.isoformat()
    stopped = record.stop_date is not None and record.stop_date < today
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": "completed" if stopped else "active",
        "medicationCodeableConcept": concept,
        "subject": _ref(subject),
        "effectivePeriod": period,
    }
    if record.dose is not None:
        resource["dosage"] = [{"text": record.dose_text}]
    out.add(f"medication-{record.id}", resource)


def _weight(out: Collector, weight: WeightRecord, subject: str) -> None:
    code, display = codes.BODY_WEIGHT
    out.add(
        f"weight-{weight.id}",
        {
            "resourceType": "Observation",
            "status": "final",
            "category": _category("vital-signs", "Vital Signs"),
            "code": {"coding": [_coding(codes.LOINC, code, display)], "text": display},
            "subject": _ref(subject),
            "effectiveDateTime": weight.measured_on.isoformat(),
            "valueQuantity": {
                "value": float(weight.weight_kg),
                "unit": "kg",
                "system": codes.UCUM,
                "code": "kg",
            },
        },
    )


def _alert(out: Collector, alert: Alert, subject: str, responses: dict[int, str]) -> None:
    """A Flag while the alert waits (inactive once acknowledged), and a DetectedIssue whose
    evidence is the diary entry that raised it."""
    period = {"start": _instant(alert.created_at)}
    if alert.acknowledged_at:
        period["end"] = _instant(alert.acknowledged_at)
    reasons = ", ".join(str(r).replace("_", " ") for r in alert.reasons)
    text = f"Diary alert: {reasons}"
    out.add(
        f"alert-{alert.id}-flag",
        {
            "resourceType": "Flag",
            "status": "inactive" if alert.acknowledged_at else "active",
            "category": [{"text": "Home diary alert"}],
            "code": _local("diary-alert") | {"text": text},
            "subject": _ref(subject),
            "period": period,
        },
    )
    out.add(
        f"alert-{alert.id}-issue",
        {
            "resourceType": "DetectedIssue",
            "status": "final",
            "code": _local("diary-alert") | {"text": text},
            "severity": "high" if alert.urgency > 1 else "moderate",
            "patient": _ref(subject),
            "identifiedDateTime": _instant(alert.created_at),
            "evidence": [{"detail": [_ref(responses[alert.entry_id])]}],
            "detail": text,
        },
    )


def _reply(
    out: Collector, reply: Reply, subject: str, organization: str, responses: dict[int, str]
) -> None:
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "status": "completed",
        "subject": _ref(subject),
        "about": [_ref(responses[reply.entry_id])],
        "sender": _ref(organization),
        "sent": _instant(reply.created_at),
        "payload": [{"contentString": reply.text}],
    }
    if reply.read_at:
        resource["received"] = _instant(reply.read_at)
    out.add(f"reply-{reply.id}", resource)


def build_resources(record: Record, today: date) -> list[tuple[str, Resource]]:
    """(fullUrl, R4B resource) for every resource of the patient's bundle, each validated."""
    out = Collector()
    patient = record.patient
    organization = _organization(out, patient)
    subject = _patient(out, patient, organization)
    _condition(out, patient, subject)
    for assessment in record.assessments:
        _assessment(out, assessment, subject)
    for weight in record.weights:
        _weight(out, weight, subject)
    for course in record.courses:
        _course(out, course, record, subject)
    for medication in record.medications:
        _medication(out, medication, subject, today)
    responses = {entry.id: _diary_entry(out, entry, subject) for entry in record.entries}
    for alert in record.alerts:
        _alert(out, alert, subject, responses)
    for reply in record.replies:
        _reply(out, reply, subject, organization, responses)
    return [
        (url, get_fhir_model_class(data["resourceType"]).model_validate(data))
        for url, data in out.entries
    ]


def patient_bundle(patient: Patient, exported_at: datetime, today: date) -> Bundle:
    """The patient's record as a Bundle of type collection."""
    return build_bundle(load_record(patient), exported_at, today)


def build_bundle(record: Record, exported_at: datetime, today: date) -> Bundle:
    """A loaded record as a Bundle of type collection."""
    patient = record.patient
    resources = build_resources(record, today)
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": str(uuid.uuid5(NAMESPACE, f"bundle/{patient.id}/{exported_at.isoformat()}")),
            "type": "collection",
            "timestamp": _instant(exported_at),
            "entry": [
                {"fullUrl": url, "resource": resource.model_dump(mode="json", exclude_none=True)}
                for url, resource in resources
            ],
        }
    )


def bundle_json(bundle: Bundle) -> str:
    """The bundle as FHIR JSON."""
    return bundle.model_dump_json(exclude_none=True)
