"""The code systems the portal's FHIR resources use, and the portal's own codes.

Canonical URLs are names, not addresses: the portal serves its CodeSystem and
Questionnaire under /fhir/R4/ whatever host it runs on, and the canonical URL in
every resource stays the same so that another system can match them.
"""

from __future__ import annotations

CANONICAL = "https://ivig-diary-portal.org/fhir"
LOCAL_SYSTEM = f"{CANONICAL}/CodeSystem/jdm-measures"
LOCAL_CODESYSTEM_ID = "jdm-measures"
PATIENT_REF_SYSTEM = f"{CANONICAL}/NamingSystem/clinic-patient-ref"
QUESTIONNAIRE_ID = "home-diary"
QUESTIONNAIRE_VERSION = "1"
QUESTIONNAIRE_URL = f"{CANONICAL}/Questionnaire/{QUESTIONNAIRE_ID}"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ATC = "http://www.whocc.no/atc"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"

JDM = ("M33.0", "Juvenile dermatomyositis")

# Enzymes (LOINC, catalytic activity in serum or plasma), unit U/L.
LOINC_ENZYMES = {
    "ck": ("2157-6", "Creatine kinase [Enzymatic activity/volume] in Serum or Plasma"),
    "ldh": ("2532-0", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma"),
    "ast": ("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma"),
    "alt": ("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma"),
    "aldolase": ("1761-6", "Aldolase [Enzymatic activity/volume] in Serum or Plasma"),
}
BODY_TEMPERATURE = ("8310-5", "Body temperature")
BODY_WEIGHT = ("29463-7", "Body weight")

# ATC: intravenous human normal immunoglobulin, and the other agents the clinic records.
IVIG_ATC = ("J06BA02", "Immunoglobulins, normal human, for intravascular administration")
AGENT_ATC = {
    "prednisolone": ("H02AB06", "prednisolone"),
    "azathioprine": ("L04AX01", "azathioprine"),
    "ciclosporin": ("L04AD01", "ciclosporin"),
    "methotrexate": ("L04AX03", "methotrexate"),
    "cyclophosphamide": ("L01AA01", "cyclophosphamide"),
}

# The portal's own codes (LOCAL_SYSTEM): the measures no LOINC code names as the clinic
# records them, the diary's symptoms, and the alert flag. Codes never change once published.
LOCAL_CODES: dict[str, str] = {
    "myometry_neck_flexors": "Myometry, neck flexors",
    "myometry_knee_extension_right": "Myometry, knee extension, right",
    "myometry_knee_extension_left": "Myometry, knee extension, left",
    "myometry_shoulder_abduction": "Myometry, shoulder abduction",
    "myometry_hip_flexion": "Myometry, hip flexion",
    "myometry_hip_abduction": "Myometry, hip abduction",
    "mean_myometry": "Mean myometry score (five groups, knee sides averaged)",
    "motor_ability_score": "Motor ability score (0-40)",
    "walk_28ft_seconds": "Time to walk 28 ft",
    "cmas": "Childhood Myositis Assessment Scale (0-52)",
    "mmt8": "Manual muscle testing of eight muscle groups (0-80)",
    "chaq": "Childhood Health Assessment Questionnaire disability index (0-3)",
    "physician_global": "Physician global assessment of disease activity (0-10)",
    "parent_global": "Parent global assessment of disease activity (0-10)",
    "symptom-headache": "Headache after infusion, graded 0-3",
    "symptom-nausea": "Nausea after infusion, graded 0-3",
    "symptom-vomiting": "Vomiting after infusion, graded 0-3",
    "symptom-diarrhoea": "Diarrhoea after infusion, graded 0-3",
    "symptom-tiredness": "Tiredness after infusion, graded 0-3",
    "symptom-muscle_pain": "Muscle pain after infusion, graded 0-3",
    "diary-alert": "A home diary entry the clinic needs to look at",
}
