/**
 * Container image references as kubelet's parsers.ParseImageName reads them (distribution's
 * ParseNormalizedNamed grammar): the tag, the digest, and `latest` when neither is given.
 */
const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IPV6_ADDRESS = '\\[(?:[a-fA-F0-9:]+)\\]';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|${IPV6_ADDRESS})`;
const DOMAIN_AND_PORT = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;

const NAME_TOTAL_LENGTH_MAX = 255;
const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const DIGEST_HEX_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

export interface ImageReference {
  readonly repository: string;
  /** `latest` when the reference has neither tag nor digest. */
  readonly tag: string;
  readonly digest: string;
}

function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const head = slash < 0 ? '' : name.slice(0, slash);
  if (slash < 0 || (!/[.:]/.test(head) && head !== 'localhost' && head.toLowerCase() === head)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = head;
    remainder = name.slice(slash + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = `library/${remainder}`;
  return [domain, remainder];
}

function validDigest(digest: string): boolean {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTHS[algorithm];
  return length !== undefined && encoded.length === length && /^[a-f0-9]+$/.test(encoded);
}

/** The parsed reference, or undefined where upstream's parser returns an error. */
export function parseImageName(image: string): ImageReference | undefined {
  if (IDENTIFIER.test(image)) return undefined;
  const [domain, remainder] = splitDockerDomain(image);
  const colon = remainder.indexOf(':');
  const remote = colon < 0 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) return undefined;
  const match = REFERENCE.exec(`${domain}/${remainder}`);
  if (!match) return undefined;
  const [, repository = '', tag = '', digest = ''] = match;
  if (repository.length > NAME_TOTAL_LENGTH_MAX) return undefined;
  if (digest !== '' && !validDigest(digest)) return undefined;
  return { repository, tag: tag === '' && digest === '' ? 'latest' : tag, digest };
}

const PULL_POLICIES = new Map<string, 'Always' | 'IfNotPresent'>();
const CACHE_ENTRIES = 1024;

/** SetDefaults_Container's rule: Always for `:latest` (or no tag), IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  let policy = PULL_POLICIES.get(image);
  if (policy === undefined) {
    policy = parseImageName(image)?.tag === 'latest' ? 'Always' : 'IfNotPresent';
    if (image.length <= NAME_TOTAL_LENGTH_MAX) {
      if (PULL_POLICIES.size >= CACHE_ENTRIES) PULL_POLICIES.clear();
      PULL_POLICIES.set(image, policy);
    }
  }
  return policy;
}
