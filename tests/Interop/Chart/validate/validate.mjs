// Validates Kubernetes objects offline with npm kubernetes-models (ajv validators generated from
// the Kubernetes OpenAPI, ~1.34): types, required fields, enums, formats. It accepts unknown
// fields, which KubernetesSchemas.cs catches separately. Reads a JSON array of objects on stdin,
// prints a JSON array of "KIND NAME: error" strings (empty: all valid). Custom resources
// (routednet.io) are not its business: the CRDs' own schemas check those.
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(0, "utf8"));
const errors = [];
for (const o of objects) {
  const what = `${o.kind} ${o.metadata?.name}`;
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  if (group === "routednet.io") {
    continue;
  }
  const path = group === "" ? `kubernetes-models/${version}/${o.kind}` : `kubernetes-models/${group}/${version}/${o.kind}`;
  let Model;
  try {
    Model = (await import(path))[o.kind];
  } catch (e) {
    errors.push(`${what}: no model ${path} (${e.message})`);
    continue;
  }
  try {
    new Model(o).validate();
  } catch (e) {
    errors.push(`${what}: ${e.message}`);
  }
}
process.stdout.write(JSON.stringify(errors) + "\n");
