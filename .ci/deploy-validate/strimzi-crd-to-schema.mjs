// Usage: node strimzi-crd-to-schema.mjs CRD.yaml KIND OUT.json "COMMENT" (the CRDs: packaging/install/cluster-operator/
// of strimzi/strimzi-kafka-operator). How schemas/kafka.strimzi.io_v1_KafkaConnect{,or}.json were made.
// Converts a Strimzi CRD (served version v1) to a JSON schema for validate.mjs: the CRD's openAPIV3Schema, with
// additionalProperties:false on every object that lists its properties (the API server would prune unknown fields
// silently) and the x-kubernetes-* extensions removed (ajv strict mode refuses unknown keywords).
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const YAML = require('yaml');
const [crdFile, kind, out, comment] = process.argv.slice(2);
const crd = YAML.parse(fs.readFileSync(crdFile, 'utf8'));
const v = crd.spec.versions.find((x) => x.name === 'v1');
function walk(s) {
  if (Array.isArray(s)) return s.map(walk);
  if (s === null || typeof s !== 'object') return s;
  const r = {};
  for (const [k, val] of Object.entries(s)) {
    if (k.startsWith('x-kubernetes-') || k === 'example') continue;
    if (k === 'properties') { r[k] = Object.fromEntries(Object.entries(val).map(([p, ps]) => [p, walk(ps)])); continue; }
    r[k] = walk(val);
  }
  // int-or-string quantities: the CRD puts `pattern` next to anyOf; ajv strict wants it on the string branch.
  if (s['x-kubernetes-int-or-string'] && r.pattern) {
    const pattern = r.pattern;
    delete r.pattern;
    r.anyOf = r.anyOf.map((b) => (b.type === 'string' ? { ...b, pattern } : b));
  }
  if (r.type === 'object' && r.properties && !('additionalProperties' in r) && !s['x-kubernetes-preserve-unknown-fields']) r.additionalProperties = false;
  return r;
}
const schema = walk(v.schema.openAPIV3Schema);
schema.properties.apiVersion = { const: 'kafka.strimzi.io/v1' };
schema.properties.kind = { const: kind };
schema.required = ['apiVersion', 'kind', 'metadata', 'spec'];
delete schema.properties.status;
schema.properties.metadata = { type: 'object' };
fs.writeFileSync(out, JSON.stringify({ $comment: comment, ...schema }, null, 2) + '\n');
