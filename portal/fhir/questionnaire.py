"""The home diary as a FHIR Questionnaire, and the portal's CodeSystem.

Each item's linkId is stable: a diary entry exported today and one exported after a
new version of the diary answer the same linkIds for the same questions. A change of
meaning is a new QUESTIONNAIRE_VERSION, never a reused linkId.
"""

from __future__ import annotations

from dataclasses import dataclass

from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire

from portal.diary.models import MOOD, RASH, RASH_CHANGE, STRENGTH, SYMPTOMS, WARNING_SIGNS
from portal.fhir import codes

PUBLISHED = "2026-12-01"


@dataclass(frozen=True)
class Question:
    """One diary field as a questionnaire item: its linkId, the column, the answer type."""

    link_id: str
    column: str
    kind: str  # FHIR item type: date, integer, decimal, boolean, text
    text: str


def _scale(labels: dict[int, str]) -> str:
    return ", ".join(f"{value} {label.lower()}" for value, label in labels.items())


TOP: tuple[Question, ...] = (
    Question("entry-date", "entry_date", "date", "Day the report is about"),
    Question("reported-by", "author_role", "string", "Written by (guardian or child)"),
    Question("strength", "strength", "integer", f"Strength today ({_scale(STRENGTH)})"),
    Question("rash", "rash", "integer", f"Rash today ({_scale(RASH)})"),
    Question("rash-change", "rash_change", "integer", f"Rash change ({_scale(RASH_CHANGE)})"),
    Question("mood", "mood", "integer", f"Mood ({_scale(MOOD)})"),
    Question("temperature", "temperature_c", "decimal", "Highest temperature (°C)"),
    Question("walk-28ft", "walk_28ft_seconds", "decimal", "Time to walk 28 ft at home (s)"),
    Question("note", "note", "text", "Anything else for the clinic"),
)
SYMPTOM_GROUP = "symptoms"
SYMPTOM_QUESTIONS: tuple[Question, ...] = tuple(
    Question(f"symptom-{name}", name, "integer", f"{label} (0 none, 1 mild, 2 moderate, 3 severe)")
    for name, label in SYMPTOMS.items()
)
WARNING_GROUP = "warning-signs"
WARNING_QUESTIONS: tuple[Question, ...] = tuple(
    Question(f"warning-{name.replace('_', '-')}", column, "boolean", label)
    for name, (column, label) in WARNING_SIGNS.items()
)


def canonical() -> str:
    """The versioned canonical reference a QuestionnaireResponse names."""
    return f"{codes.QUESTIONNAIRE_URL}|{codes.QUESTIONNAIRE_VERSION}"


def _item(question: Question) -> dict:
    return {"linkId": question.link_id, "text": question.text, "type": question.kind}


def diary_questionnaire() -> Questionnaire:
    """The home diary, as the portal serves it at /fhir/R4/Questionnaire/home-diary."""
    items = [_item(q) for q in TOP]
    items.append(
        {
            "linkId": SYMPTOM_GROUP,
            "text": "Symptoms since the last report",
            "type": "group",
            "item": [_item(q) for q in SYMPTOM_QUESTIONS],
        }
    )
    items.append(
        {
            "linkId": WARNING_GROUP,
            "text": "Warning signs (call the clinic)",
            "type": "group",
            "item": [_item(q) for q in WARNING_QUESTIONS],
        }
    )
    return Questionnaire.model_validate(
        {
            "resourceType": "Questionnaire",
            "id": codes.QUESTIONNAIRE_ID,
            "url": codes.QUESTIONNAIRE_URL,
            "version": codes.QUESTIONNAIRE_VERSION,
            "name": "JdmIvigHomeDiary",
            "title": "JDM IVIG home diary",
            "status": "active",
            "date": PUBLISHED,
            "subjectType": ["Patient"],
            "item": items,
        }
    )


def measures_codesystem() -> CodeSystem:
    """The portal's local codes, served at /fhir/R4/CodeSystem/jdm-measures."""
    return CodeSystem.model_validate(
        {
            "resourceType": "CodeSystem",
            "id": codes.LOCAL_CODESYSTEM_ID,
            "url": codes.LOCAL_SYSTEM,
            "version": "1",
            "name": "JdmMeasures",
            "title": "JDM clinic measures and diary symptoms",
            "status": "active",
            "date": PUBLISHED,
            "caseSensitive": True,
            "content": "complete",
            "count": len(codes.LOCAL_CODES),
            "concept": [
                {"code": code, "display": display} for code, display in codes.LOCAL_CODES.items()
            ],
        }
    )
