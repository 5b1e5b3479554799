// Drive a built XForm in ODK's own form engine (@getodk/xforms-engine), headless.
//
// Reads one JSON request on stdin and writes one JSON answer on stdout (with --lines: one
// request per input line, one answer per output line, so a test session starts Node once):
//   {"form": "forms/build/x.xml", "media_dir": "tests/forms/media", "tasks": [task, ...]}
// Each task is one of
//   {"kind": "load"}                        -> {"status", "error", "references"}
//   {"kind": "fill", "answers": [[ref, value], ...], "read": [ref, ...]}
//                                           -> {"values", "violations", "xml"}
//   {"kind": "restore", "xml": "<data ...>", "read": [ref, ...]}
//                                           -> {"values", "violations", "xml"}
// A "fill" starts from a new blank instance, sets the answers in order (a reference into
// a repeat entry that does not exist yet, e.g. /data/fault[2]/fault_type, adds entries)
// and reads values after the last answer. "restore" loads a submission as ODK would when
// editing it. Violations are the engine's required/constraint failures on relevant nodes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('');
for (const name of ['DOMParser', 'XMLSerializer', 'Node', 'Element', 'Document', 'XPathResult']) {
  if (!(name in globalThis)) globalThis[name] = dom.window[name];
}
globalThis.window ??= dom.window;
globalThis.document ??= dom.window.document;
// The engine bundles web-tree-sitter, whose Emscripten loader reads __dirname when it
// detects Node. An ES module has no __dirname; the WASM itself is inlined, so any value works.
globalThis.__dirname = '/';
const { loadForm } = await import('@getodk/xforms-engine');

function nodesByReference(root) {
  const nodes = new Map();
  const visit = (node) => {
    nodes.set(node.currentState.reference, node);
    for (const child of node.currentState.children ?? []) visit(child);
  };
  visit(root);
  return nodes;
}

function ensureNode(root, reference) {
  let nodes = nodesByReference(root);
  if (nodes.has(reference)) return nodes.get(reference);
  // Add repeat entries for every "name[n]" step that does not exist yet.
  const steps = reference.split('/').slice(1);
  let path = '';
  for (const step of steps) {
    const match = step.match(/^(.+)\[(\d+)\]$/);
    path += '/' + step;
    if (!match || nodes.has(path)) continue;
    const rangePath = path.replace(/\[\d+\]$/, '');
    const range = nodes.get(rangePath);
    if (!range || typeof range.addInstances !== 'function') {
      throw new Error(`cannot add repeat entry ${path}: no repeat at ${rangePath}`);
    }
    const have = range.currentState.children.length;
    range.addInstances(have > 0 ? have - 1 : undefined, Number(match[2]) - have);
    nodes = nodesByReference(root);
  }
  if (!nodes.has(reference)) throw new Error(`no node ${reference}`);
  return nodes.get(reference);
}

function setAnswer(root, reference, value) {
  const node = ensureNode(root, reference);
  if (node.nodeType === 'select') {
    const values = value === '' ? [] : String(value).split(' ');
    if (node.selectType === 'select1') node.selectValue(values[0] ?? null);
    else node.selectValues(values);
  } else if (typeof node.setValue === 'function') {
    node.setValue(String(value));
  } else {
    throw new Error(`${reference} (${node.nodeType}) does not take an answer`);
  }
}

function readValue(root, reference) {
  const node = nodesByReference(root).get(reference);
  if (!node) return null;
  const value = node.currentState.value;
  if (Array.isArray(value)) return value.join(' ');
  if (value === null || value === undefined) return '';
  return String(value);
}

function violations(root) {
  return root.validationState.violations.map((v) => ({
    reference: v.reference,
    condition: v.violation.condition,
    message: v.violation.message?.asString ?? '',
  }));
}

function outcome(instance, read) {
  const root = instance.root;
  const values = {};
  for (const reference of read ?? []) values[reference] = readValue(root, reference);
  return { values, violations: violations(root), xml: root.instanceState.instanceXML };
}

const loadedForms = new Map();

async function formFor(request) {
  const key = `${request.form}\n${request.media_dir}`;
  if (!loadedForms.has(key)) {
    const formXml = readFileSync(request.form, 'utf8');
    const fetchFormAttachment = async (url) => {
      const name = decodeURIComponent(String(url).split('/').pop());
      const body = readFileSync(join(request.media_dir, name));
      return new Response(body, { headers: { 'Content-Type': 'text/csv' } });
    };
    loadedForms.set(key, await loadForm(formXml, { fetchFormAttachment }));
  }
  return loadedForms.get(key);
}

async function run(request) {
  const form = await formFor(request);
  const results = [];
  for (const task of request.tasks) {
    try {
      if (task.kind === 'load') {
        const references = form.status === 'failure' ? [] : [...nodesByReference(form.createInstance().root).keys()];
        results.push({ status: form.status, error: form.error?.message ?? null, references });
      } else if (task.kind === 'fill') {
        const instance = form.createInstance();
        for (const [reference, value] of task.answers) setAnswer(instance.root, reference, value);
        results.push(outcome(instance, task.read));
      } else if (task.kind === 'restore') {
        const data = new FormData();
        data.append('xml_submission_file', new File([task.xml], 'submission.xml', { type: 'text/xml' }));
        const instance = await form.restoreInstance({ data: [data] });
        results.push(outcome(instance, task.read));
      } else {
        throw new Error(`unknown task kind ${task.kind}`);
      }
    } catch (error) {
      results.push({ error: String(error?.stack ?? error) });
    }
  }
  return results;
}

if (process.argv.includes('--lines')) {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim()) process.stdout.write(JSON.stringify(await run(JSON.parse(line))) + '\n');
  }
} else {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  process.stdout.write(JSON.stringify(await run(JSON.parse(Buffer.concat(chunks).toString('utf8')))));
}
