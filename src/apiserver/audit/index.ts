// Auditing: the audit.k8s.io/v1 Event log (policy, file + in-memory ring) and the in-memory ring of watch deliveries.
export { AuditLog, type AuditEventFilter, type AuditLogOptions } from './audit-log.js';
export {
  auditEventLine,
  type AuditObjects,
  type AuditEvent,
  type AuditLevel,
  type AuditObjectReference,
  type AuditResponseStatus,
  type AuditStage,
  type AuditStoredObject,
  type AuditUserInfo,
} from './audit-event.js';
export { microTime, objectRefFor, requestReceived, responseComplete, responseStarted, type AuditOutcome, type AuditRequest } from './audit-stages.js';
export { RingBuffer } from './ring-buffer.js';
export { RotatingFileWriter, type RotatingFileWriterOptions } from './rotating-file-writer.js';
export { WatchDeliveryRing, type WatchDelivery, type WatchDeliveryQuery, type WatchDeliveryType } from './watch-delivery-ring.js';
export { AUDIT_METADATA_EVERYTHING, AuditPolicyChecker, type AuditAttributes, type AuditPolicyUser, type RequestAuditConfig } from './audit-policy-checker.js';
export { AuditPolicyError, parseAuditPolicy, type AuditGroupResources, type AuditPolicy, type AuditPolicyRule } from './audit-policy.js';
export { auditObjects, MAX_AUDIT_OBJECT_CHARS } from './audit-objects.js';
