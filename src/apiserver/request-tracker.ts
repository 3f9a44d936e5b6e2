import type { Clock } from '../lib/index.js';
import { ApiError } from '../api/index.js';
import { AUDIT_METADATA_EVERYTHING, auditObjects, objectRefFor, requestReceived, responseComplete, responseStarted, type AuditLog, type AuditRequest } from './audit/index.js';
import type { UserInfo } from './authn/index.js';
import { captureBodies } from './http/captured-bodies.js';
import type { ServerRequest, ServerResponse } from './http/http-types.js';
import type { InflightLimiter } from './http/inflight-limiter.js';
import { parseRequestInfo, type RequestInfo } from './http/request-info.js';
import { splitRequestTarget } from './http/request-path.js';
import { statusWritten, storedWritten, writeError } from './http/respond.js';
import type { ApiMetrics } from './metrics/api-metrics.js';

export interface RequestTrackerOptions {
  readonly inflight: InflightLimiter;
  readonly metrics: ApiMetrics;
  readonly audit: AuditLog | undefined;
  readonly clock: Clock;
  /** --request-timeout in ms. */
  readonly requestTimeoutMs: number;
  /** Whether a resource is served (metrics label only served resources). */
  readonly isServed: (info: RequestInfo) => boolean;
  /** True while shutting down: answers then carry `Connection: close`. */
  readonly draining: () => boolean;
}

/**
 * What happens around every authenticated request: admission against the in-flight limits (429 beyond them,
 * system:masters exempt, watches not counted), the request timeout (504), request metrics, and the audit events
 * (RequestReceived, ResponseStarted for watches, ResponseComplete): Metadata level in the audit ring, the level the
 * audit policy gives in the log file (with the request and response bodies kept only for Request level and above).
 */
const LONG_RUNNING_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

export class RequestTracker {
  constructor(private readonly opts: RequestTrackerOptions) {}

  /** A request whose credentials were refused: upstream audits it as one ResponseStarted with 401. */
  unauthenticated(req: ServerRequest, auditID: string, receivedAt: number): void {
    const { audit } = this.opts;
    if (!audit) return;
    const user = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    const base = this.auditRequest(req, auditID, receivedAt, user, (req.method ?? 'GET').toLowerCase(), undefined);
    const { path, query } = splitRequestTarget(req.url ?? '/');
    const config = audit.configFor(undefined, parseRequestInfo(req.method ?? 'GET', path, query));
    audit.record(responseStarted(base, this.opts.clock.now(), { code: 401, reason: 'Unauthorized', message: 'Unauthorized' }), config);
  }

  /** Admits the request and arms its bookkeeping; answers 429 and returns false when its pool is full. */
  begin(req: ServerRequest, res: ServerResponse, user: UserInfo, info: RequestInfo, auditID: string, receivedAt: number): boolean {
    const { audit, metrics, clock } = this.opts;
    if (this.opts.draining()) res.setHeader('Connection', 'close');
    const auditBase = this.auditRequest(req, auditID, receivedAt, user, info.verb, info);
    const config = audit ? audit.configFor(user, info) : AUDIT_METADATA_EVERYTHING;
    const bodies = config.level === 'Request' || config.level === 'RequestResponse' ? captureBodies(req, res, config.level === 'RequestResponse') : undefined;
    audit?.record(requestReceived(auditBase), config);
    const started = performance.now();
    const target = {
      verb: info.verb,
      group: info.apiGroup,
      version: info.apiVersion,
      resource: this.opts.isServed(info) ? info.resource : '',
      subresource: info.subresource,
      namespaced: info.namespace !== '',
      named: info.name !== '',
    };
    let finished = false;
    const finish = (release?: () => void, timer?: NodeJS.Timeout, kind?: 'readOnly' | 'mutating') => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      release?.();
      if (kind) metrics.requestFinished(kind);
      const status = statusWritten(res);
      const complete = responseComplete(auditBase, clock.now(), { code: res.statusCode, reason: status?.reason, message: status?.message }, res.statusCode < 300 ? storedWritten(res) : undefined);
      audit?.record(complete, config, bodies && !config.omitStages.has('ResponseComplete') ? auditObjects(bodies, config) : undefined);
      if (!info.isResourceRequest) return;
      const dryRun = (req.url ?? '').includes('dryRun=');
      metrics.observeRequest({ ...target, dryRun, code: res.statusCode, seconds: (performance.now() - started) / 1000 });
    };
    // Long-running as upstream's: watches and the streaming subresources hold no in-flight slot and have no timeout.
    if (info.verb === 'watch' || (info.isResourceRequest && LONG_RUNNING_SUBRESOURCES.has(info.subresource))) {
      metrics.longRunning(target, 1);
      audit?.record(responseStarted(auditBase, clock.now()), config);
      res.once('close', () => {
        metrics.longRunning(target, -1);
        finish();
      });
      return true;
    }
    const kind = ['get', 'list', 'head', 'options'].includes(info.verb) ? 'readOnly' : 'mutating';
    const release = this.opts.inflight.admit(kind, user.groups.includes('system:masters'));
    if (!release) {
      writeError(req, res, ApiError.tooManyRequests(1));
      finish();
      return false;
    }
    metrics.requestStarted(kind);
    const timer = setTimeout(() => {
      if (!res.headersSent) writeError(req, res, ApiError.timeout('request did not complete within the allotted timeout'));
    }, this.opts.requestTimeoutMs);
    timer.unref();
    res.once('finish', () => finish(release, timer, kind));
    res.once('close', () => finish(release, timer, kind));
    return true;
  }

  private auditRequest(req: ServerRequest, auditID: string, receivedAt: number, user: UserInfo, verb: string, info: RequestInfo | undefined): AuditRequest {
    const ua = req.headers['user-agent'];
    return {
      auditID,
      requestURI: req.url ?? '/',
      verb,
      user,
      sourceIPs: req.socket.remoteAddress ? [req.socket.remoteAddress] : undefined,
      userAgent: ua,
      objectRef: info ? objectRefFor(info) : undefined,
      receivedAt,
    };
  }
}
