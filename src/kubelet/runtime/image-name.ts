import { createHash } from 'node:crypto';
import type { ImageInfo } from './runtime.js';
import { copyJson } from '../../lib/index.js';

/**
 * An image reference as containerd reports it: the registry defaults to docker.io, Docker Hub's official images live
 * under library/, and the tag defaults to latest (`nginx` → `docker.io/library/nginx:latest`).
 */
export function normalizeImage(image: string): string {
  let name = image;
  let suffix = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  }
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) {
    suffix = name.slice(colon) + suffix;
    name = name.slice(0, colon);
  } else if (suffix === '') {
    suffix = ':latest';
  }
  const first = name.split('/')[0] ?? '';
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return name + suffix;
}

/** The ImageInfo of an image a runtime does not really pull (simulated, process): ids derived from its name. */
function syntheticImageInfo(image: string): ImageInfo {
  const name = normalizeImage(image);
  const digest = createHash('sha256').update(name).digest('hex');
  const repo = name.replace(/[:@].*$/, '');
  return { id: `sha256:${createHash('sha256').update(`id:${name}`).digest('hex')}`, repoTags: [name], repoDigests: [`${repo}@sha256:${digest}`], size: 1 << 20 };
}

/** The images a runtime that does not pull has "pulled": pull records one, status finds it. */
export class SyntheticImages {
  private readonly images = new Map<string, ImageInfo>();

  has(image: string): boolean {
    return this.images.has(normalizeImage(image));
  }

  /** Records the image; returns its ref (`repo@sha256:…`). */
  pull(image: string): string {
    const name = normalizeImage(image);
    const info = this.images.get(name) ?? syntheticImageInfo(name);
    this.images.set(name, info);
    return info.repoDigests[0]!;
  }

  status(image: string): ImageInfo | undefined {
    const info = this.images.get(normalizeImage(image));
    return info && copyJson(info);
  }
}
