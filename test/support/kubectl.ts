// Finds the versioned kubectl binaries (kubectl.1.27 … kubectl.1.33) that end-to-end tests drive.
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The directory of the real `kubectl` on PATH, symlinks resolved (`readlink -f $(command -v kubectl)`). */
function kubectlDir(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, 'kubectl');
    if (isExecutable(file)) return dirname(realpathSync(file));
  }
  return undefined;
}

/**
 * The path of `kubectl.<version>` (e.g. '1.33') in $SKIFF_KUBECTL_DIR, or else beside the kubectl
 * on PATH; undefined when there is none.
 */
export function kubectlBinary(version: string): string | undefined {
  const dir = process.env.SKIFF_KUBECTL_DIR || kubectlDir();
  if (dir === undefined) return undefined;
  const file = join(dir, `kubectl.${version}`);
  return isExecutable(file) ? file : undefined;
}

/** Whether kubectl tests must run (REQUIRE_KUBECTL=1) rather than skip when a binary is missing. */
export function requireKubectl(): boolean {
  return process.env.REQUIRE_KUBECTL === '1';
}

/** Why a test needing kubectl `version` must skip, or undefined when it can run (or must, per requireKubectl). */
export function kubectlSkipReason(version: string): string | undefined {
  if (requireKubectl() || kubectlBinary(version) !== undefined) return undefined;
  return `kubectl.${version} not found (set SKIFF_KUBECTL_DIR, or REQUIRE_KUBECTL=1 to fail instead of skipping)`;
}
