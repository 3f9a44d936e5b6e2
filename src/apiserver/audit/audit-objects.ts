import { parse as parseYaml } from 'yaml';
import type { CapturedBodies } from '../http/captured-bodies.js';
import type { AuditObjects } from './audit-event.js';
import type { RequestAuditConfig } from './audit-policy-checker.js';

/**
 * The largest request or response body written into an event, in characters. A bigger one (a long list answered at
 * RequestResponse) is left out and the event annotated `audit.k8s.io/truncated: "true"`, as upstream's truncating
 * backend does, so one list cannot make the log grow by megabytes per request.
 */
export const MAX_AUDIT_OBJECT_CHARS = 256 * 1024;

/**
 * requestObject (Request and RequestResponse) and responseObject (RequestResponse) of a finished request, as one-line
 * JSON: the object its handler decoded (a create or update, from any content type), else the body the client sent
 * (a patch as the patch itself, as upstream logs it), and the JSON answered (a Table when the client asked for one, a
 * Status for an error). A body that does not decode is left out.
 */
export function auditObjects(bodies: CapturedBodies, config: RequestAuditConfig): AuditObjects | undefined {
  let truncated = false;
  let requestObject: string | undefined;
  let responseObject: string | undefined;
  if (bodies.requestJson !== undefined) {
    if (bodies.requestJson.length > MAX_AUDIT_OBJECT_CHARS) truncated = true;
    else requestObject = config.omitManagedFields ? oneLineJson(bodies.requestJson, false, true) : bodies.requestJson;
  } else if (bodies.request !== undefined && bodies.request.length > 0) {
    if (bodies.request.length > MAX_AUDIT_OBJECT_CHARS) truncated = true;
    else requestObject = oneLineJson(bodies.request.toString('utf8'), (bodies.requestContentType ?? '').includes('yaml'), config.omitManagedFields);
  }
  if (config.level === 'RequestResponse' && bodies.response !== undefined) {
    if (bodies.response.length > MAX_AUDIT_OBJECT_CHARS) truncated = true;
    else if (!config.omitManagedFields && !bodies.response.includes('\n')) responseObject = bodies.response;
    else responseObject = oneLineJson(bodies.response, false, config.omitManagedFields);
  }
  if (requestObject === undefined && responseObject === undefined && !truncated) return undefined;
  return { requestObject, responseObject, truncated };
}

/** `text` (JSON, or YAML for an apply patch) as one-line JSON; undefined when it does not decode. */
function oneLineJson(text: string, yaml: boolean, omitManagedFields: boolean): string | undefined {
  try {
    return reencode(yaml ? parseYaml(text) : JSON.parse(text), omitManagedFields);
  } catch {
    return undefined;
  }
}

/** One-line JSON of `value`, without metadata.managedFields (of the object and of a list's items) when asked. */
function reencode(value: unknown, omitManagedFields: boolean): string {
  if (omitManagedFields && isRecord(value)) {
    dropManagedFields(value);
    if (Array.isArray(value.items)) for (const item of value.items) if (isRecord(item)) dropManagedFields(item);
  }
  return JSON.stringify(value);
}

function dropManagedFields(object: Record<string, unknown>): void {
  if (isRecord(object.metadata)) delete object.metadata.managedFields;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
