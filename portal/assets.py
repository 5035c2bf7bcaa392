"""Named Flask-Assets bundles; chart code goes only into chart pages' bundles."""

from flask_assets import Bundle, Environment

BUNDLES = {
    "css_main": Bundle("css/portal.css", output="gen/portal.%(version)s.css"),
    "js_main": Bundle("js/portal.js", output="gen/portal.%(version)s.js"),
    "css_clinical": Bundle("css/clinical.css", output="gen/clinical.%(version)s.css"),
    "js_assessment": Bundle("js/motor-ability.js", output="gen/assessment.%(version)s.js"),
}


def register_bundles(environment: Environment) -> None:
    """Register every named bundle once per environment."""
    for name, bundle in BUNDLES.items():
        if name not in environment:
            environment.register(name, bundle)
