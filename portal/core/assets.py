"""Named Flask-Assets bundles; chart code goes only into chart pages' bundles."""

from flask_assets import Bundle, Environment

BUNDLES = {
    "css_main": Bundle("css/portal.css", output="gen/portal.%(version)s.css"),
    "js_main": Bundle("js/portal.js", output="gen/portal.%(version)s.js"),
    "js_course_form": Bundle("js/course-form.js", output="gen/course-form.%(version)s.js"),
    "js_review": Bundle("js/review.js", output="gen/review.%(version)s.js"),
    # Chart pages only: the pinned vendor files (already minified) and the portal's renderer.
    "js_charts": Bundle(
        "vendor/chartjs/chart.umd.min.js",
        "vendor/chartjs-adapter-date-fns/chartjs-adapter-date-fns.bundle.min.js",
        "vendor/chartjs-plugin-annotation/chartjs-plugin-annotation.min.js",
        "js/chart-kinds.js",
        "js/chart-slope.js",
        "js/chart-scatter.js",
        "js/charts.js",
        output="gen/charts.%(version)s.js",
    ),
    "css_clinical": Bundle("css/clinical.css", output="gen/clinical.%(version)s.css"),
    "js_assessment": Bundle("js/motor-ability.js", output="gen/assessment.%(version)s.js"),
}


def register_bundles(environment: Environment) -> None:
    """Register every named bundle once per environment."""
    for name, bundle in BUNDLES.items():
        if name not in environment:
            environment.register(name, bundle)
