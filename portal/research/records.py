"""What the hub's report reads: each site's newest summary and its courses, in two queries."""

from __future__ import annotations

from sqlalchemy import select

from portal.core.extensions import db
from portal.research import signing
from portal.research.hub import HubCourse, HubSite
from portal.research.models import ResearchSite, SiteSummary, SummaryCourse


def registered_sites() -> list[ResearchSite]:
    return list(db.session.scalars(select(ResearchSite).order_by(ResearchSite.code)))


def current_summaries() -> tuple[list[HubSite], list[HubCourse]]:
    """The sites with a summary loaded, and the courses of their newest summaries."""
    rows = db.session.execute(
        select(ResearchSite, SiteSummary)
        .join(SiteSummary, SiteSummary.site_id == ResearchSite.id)
        .where(SiteSummary.superseded_at.is_(None))
        .order_by(ResearchSite.code)
    ).all()
    sites = [
        HubSite(
            code=site.code,
            name=site.name,
            fingerprint=signing.fingerprint(site.public_key),
            generated_on=summary.generated_on,
            loaded_at=summary.loaded_at,
            lot_salt_id=summary.lot_salt_id,
        )
        for site, summary in rows
    ]
    codes = {summary.id: site.code for site, summary in rows}
    course = SummaryCourse
    found = db.session.execute(
        select(
            course.summary_id,
            course.total_dose_g_per_kg,
            course.days,
            course.myometry_change,
            course.diary_reported,
            course.side_effects,
        ).where(course.summary_id.in_(list(codes)))
    )
    courses = [
        HubCourse(codes[sid], dose, days, change, reported, frozenset(effects or ()))
        for sid, dose, days, change, reported, effects in found
    ]
    return sites, courses
