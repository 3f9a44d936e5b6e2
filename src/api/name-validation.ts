/**
 * Which name rule each kind follows (upstream's ValidateNameFunc per registry). A validator
 * takes the name and whether it is a generateName prefix, and returns the problems.
 */
import {
  DNS1035_LABEL_MAX_LENGTH,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
} from './names.js';

export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * Upstream's maskTrailingDash, kept as written: it drops the last two characters, not one,
 * before appending 'a'.
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

export const nameIsPathSegment: NameValidator = (name, prefix) =>
  prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);

/** Accepts every name; the storage key still demands a valid path segment. */
export const anyName: NameValidator = () => [];

/** The cronjob controller appends an 11-character suffix to name its Jobs. */
const CRONJOB_NAME_MAX_LENGTH = DNS1035_LABEL_MAX_LENGTH - 11;

const nameIsCronJobName: NameValidator = (name, prefix) => {
  const errs = nameIsDNSSubdomain(name, prefix);
  if (!prefix && Buffer.byteLength(name, 'utf8') > CRONJOB_NAME_MAX_LENGTH) {
    errs.push(`must be no more than ${CRONJOB_NAME_MAX_LENGTH} characters`);
  }
  return errs;
};

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * The name rule of a kind. Core Events are special upstream: v1 Events skip ObjectMeta
 * validation entirely (only events.k8s.io Events get the subdomain rule), so their validator
 * accepts anything. Unknown kinds (custom resources) use the DNS subdomain rule.
 */
export function nameValidatorFor(kind: { group: string; kind: string }): NameValidator {
  if (kind.group === '') {
    switch (kind.kind) {
      case 'Namespace':
        return nameIsDNSLabel;
      case 'Service':
        return nameIsDNS1035Label;
      case 'Event':
        return anyName;
      default:
        return nameIsDNSSubdomain;
    }
  }
  if (kind.group === RBAC_GROUP) {
    switch (kind.kind) {
      case 'Role':
      case 'ClusterRole':
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        return nameIsPathSegment;
    }
  }
  if (kind.group === 'batch' && kind.kind === 'CronJob') return nameIsCronJobName;
  return nameIsDNSSubdomain;
}
