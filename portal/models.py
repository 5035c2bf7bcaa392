"""Every model in one import, for migrations, the shell and tests."""

from portal.assessments.models import Assessment
from portal.auth.models import Role, User
from portal.clinic.models import Clinic
from portal.diary.models import Alert, DiaryEntry, DiaryEntryVersion
from portal.infusions.models import CourseLot, CourseStatus, InfusionCourse
from portal.medications.models import MedicationRecord, WeightRecord
from portal.patients.models import EnrolmentCode, Patient, patient_links
from portal.research.models import ResearchSite, SiteSummary, SummaryCourse
from portal.review.models import Reply

__all__ = [
    "Alert",
    "Assessment",
    "DiaryEntry",
    "DiaryEntryVersion",
    "Clinic",
    "CourseLot",
    "CourseStatus",
    "EnrolmentCode",
    "InfusionCourse",
    "MedicationRecord",
    "Patient",
    "Reply",
    "ResearchSite",
    "Role",
    "SiteSummary",
    "SummaryCourse",
    "User",
    "WeightRecord",
    "patient_links",
]
