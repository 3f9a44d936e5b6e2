#!/usr/bin/env node
// Derives the OpenAPI v3 component schemas of every Kubernetes API type from the kubernetes-types
// declarations (their JSDoc is upstream's field documentation, `?` marks optional fields) and writes
// them, keyed by upstream definition name, to dist/openapi/definitions.json.
// Usage: node scripts/gen-openapi.mjs [outFile]
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import {
  atomicMaps,
  atomicStructs,
  conditionsExtension,
  doubleProperties,
  int32Overrides,
  int64Properties,
  intOrString,
  packages,
  propertyExtensions,
  scalarDefinitions,
  untypedDefinitions,
} from './openapi-extensions.mjs';

const started = performance.now();
const root = fileURLToPath(new URL('..', import.meta.url));
const typesDir = dirname(createRequire(join(root, 'package.json')).resolve('kubernetes-types/package.json'));
const outFile = process.argv[2] ?? join(root, 'dist', 'openapi', 'definitions.json');
const REF_PREFIX = '#/components/schemas/';
const ZERO = { string: '', integer: 0, number: 0, boolean: false };
/** [list schema, item definition] pairs for `conditions` lists, keyed once every definition is known. */
const conditionTypes = [];

function declarationFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) declarationFiles(full, out);
    else if (name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const packageOf = (modulePath) => packages[modulePath] ?? `io.k8s.api.${modulePath.replaceAll('/', '.')}`;

/** The JSDoc text right before a node, without comment markers. */
function docOf(text, node) {
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  const doc = ranges.filter((r) => text.startsWith('/**', r.pos)).at(-1);
  if (doc === undefined) return undefined;
  const lines = text.slice(doc.pos + 3, doc.end - 2).split('\n');
  return lines.map((line) => line.replace(/^\s*\* ?/, '')).join('\n').trim() || undefined;
}

/** One parsed module: its declarations and what its imported names refer to. */
function parseModule(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const modulePath = relative(typesDir, file).split(/[\\/]/).join('/').replace(/\.d\.ts$/, '');
  const imports = new Map();
  const declarations = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = posix.join(posix.dirname(modulePath), statement.moduleSpecifier.text);
      for (const element of statement.importClause?.namedBindings?.elements ?? []) {
        imports.set(element.name.text, packageOf(from));
      }
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      declarations.push(statement);
    }
  }
  return { text, pkg: packageOf(modulePath), imports, declarations };
}

function typeName(node) {
  return ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
}

function integer(defName, propName) {
  const key = `${defName}.${propName}`;
  if (doubleProperties.has(key)) return { type: 'number', format: 'double' };
  const wide = int64Properties.has(propName) && !int32Overrides.has(key);
  return { type: 'integer', format: wide ? 'int64' : 'int32' };
}

/** Schema of a type node; refs come back bare (`{$ref}`) for the caller to decorate. */
function schemaOf(node, mod, defName, propName) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return integer(defName, propName);
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.LiteralType:
      if (ts.isStringLiteral(node.literal)) return { type: 'string' };
      return { type: ts.isNumericLiteral(node.literal) ? 'integer' : 'boolean' };
    case ts.SyntaxKind.ParenthesizedType:
      return schemaOf(node.type, mod, defName, propName);
    case ts.SyntaxKind.ArrayType:
      return { type: 'array', items: itemSchema(node.elementType, mod, defName, propName) };
    case ts.SyntaxKind.TypeReference: {
      const name = typeName(node);
      if (name === 'Array' && node.typeArguments?.[0] !== undefined) {
        return { type: 'array', items: itemSchema(node.typeArguments[0], mod, defName, propName) };
      }
      return { $ref: `${REF_PREFIX}${mod.imports.get(name) ?? mod.pkg}.${name}` };
    }
    case ts.SyntaxKind.TypeLiteral: {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index === undefined) return { type: 'object' };
      return { type: 'object', additionalProperties: itemSchema(index.type, mod, defName, propName) };
    }
    case ts.SyntaxKind.UnionType: {
      const kinds = new Set(node.types.map((t) => t.kind));
      const isIntOrString = kinds.size === 2 && kinds.has(ts.SyntaxKind.NumberKeyword) && kinds.has(ts.SyntaxKind.StringKeyword);
      return isIntOrString ? { $ref: `${REF_PREFIX}${intOrString.name}` } : {};
    }
    default:
      throw new Error(`${defName}.${propName}: unsupported type syntax ${ts.SyntaxKind[node.kind]}`);
  }
}

/** Array items and map values carry Go's zero value as their default, as upstream's do. */
function itemSchema(node, mod, defName, propName) {
  const schema = schemaOf(node, mod, defName, propName);
  if (schema.$ref !== undefined) return isScalarRef(schema.$ref) ? schema : { allOf: [schema], default: {} };
  if (ZERO[schema.type] !== undefined) return { default: ZERO[schema.type], ...schema };
  return schema;
}

const isScalarRef = (ref) => {
  const name = ref.slice(REF_PREFIX.length);
  return name === intOrString.name || scalarDefinitions[name] !== undefined;
};

function propertySchema(member, mod, defName, required) {
  const propName = member.name.text;
  const description = docOf(mod.text, member);
  const schema = schemaOf(member.type, mod, defName, propName);
  const key = `${defName}.${propName}`;
  const extensions = { ...propertyExtensions[key] };
  if (atomicMaps.has(key)) extensions['x-kubernetes-map-type'] = 'atomic';
  if (schema.$ref !== undefined) {
    const withDefault = (required || propName === 'metadata') && !isScalarRef(schema.$ref);
    if (description === undefined && !withDefault && Object.keys(extensions).length === 0) return schema;
    return {
      allOf: [schema],
      ...(withDefault ? { default: {} } : {}),
      ...(description !== undefined ? { description } : {}),
      ...extensions,
    };
  }
  const zero = required && schema.type !== undefined ? ZERO[schema.type] : undefined;
  return {
    ...(zero !== undefined ? { default: zero } : {}),
    ...(description !== undefined ? { description } : {}),
    ...schema,
    ...extensions,
  };
}

/** GVK from the literal `apiVersion` and `kind` property types of a top-level kind. */
function groupVersionKind(members) {
  const literal = (name) => {
    const member = members.find((m) => m.name?.text === name);
    const type = member?.type;
    return type !== undefined && ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal) ? type.literal.text : undefined;
  };
  const apiVersion = literal('apiVersion');
  const kind = literal('kind');
  if (apiVersion === undefined || kind === undefined) return undefined;
  const slash = apiVersion.lastIndexOf('/');
  return [{ group: slash < 0 ? '' : apiVersion.slice(0, slash), kind, version: apiVersion.slice(slash + 1) }];
}

function interfaceSchema(decl, mod, defName) {
  const description = docOf(mod.text, decl);
  const members = decl.members.filter(ts.isPropertySignature);
  const base = description !== undefined ? { description } : {};
  if (members.length === 0) return untypedDefinitions.has(defName) ? base : { ...base, type: 'object' };
  const properties = {};
  const required = [];
  for (const member of members) {
    const isRequired = member.questionToken === undefined;
    properties[member.name.text] = propertySchema(member, mod, defName, isRequired);
    if (isRequired) required.push(member.name.text);
  }
  const conditionItems = properties.conditions?.items?.allOf?.[0]?.$ref;
  if (conditionItems !== undefined && properties.conditions['x-kubernetes-list-type'] === undefined) {
    conditionTypes.push([properties.conditions, conditionItems.slice(REF_PREFIX.length)]);
  }
  const gvk = groupVersionKind(members);
  return {
    ...base,
    properties,
    ...(required.length > 0 ? { required } : {}),
    type: 'object',
    ...(gvk !== undefined ? { 'x-kubernetes-group-version-kind': gvk } : {}),
    ...(atomicStructs.has(defName) ? { 'x-kubernetes-map-type': 'atomic' } : {}),
  };
}

function aliasSchema(decl, mod, defName) {
  const description = docOf(mod.text, decl);
  const base = description !== undefined ? { description } : {};
  const special = scalarDefinitions[defName];
  if (special !== undefined) return { ...base, ...special };
  const schema = schemaOf(decl.type, mod, defName, '');
  return { ...base, ...(schema.$ref !== undefined ? { allOf: [schema] } : schema) };
}

const definitions = {};
for (const file of declarationFiles(typesDir).sort()) {
  const mod = parseModule(file);
  for (const decl of mod.declarations) {
    const defName = `${mod.pkg}.${decl.name.text}`;
    definitions[defName] = ts.isInterfaceDeclaration(decl) ? interfaceSchema(decl, mod, defName) : aliasSchema(decl, mod, defName);
  }
}
definitions[intOrString.name] = intOrString.schema;
for (const [list, itemName] of conditionTypes) {
  if (definitions[itemName]?.properties?.type !== undefined) Object.assign(list, conditionsExtension);
}

const sorted = Object.fromEntries(Object.keys(definitions).sort().map((name) => [name, definitions[name]]));
const missing = new Set();
JSON.stringify(sorted, (key, value) => {
  if (key === '$ref' && typeof value === 'string' && sorted[value.slice(REF_PREFIX.length)] === undefined) missing.add(value);
  return value;
});
if (missing.size > 0) throw new Error(`unresolved references: ${[...missing].join(', ')}`);

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(sorted));
const ms = Math.round(performance.now() - started);
console.log(`gen-openapi: ${Object.keys(sorted).length} definitions → ${relative(root, outFile)} in ${ms} ms`);
