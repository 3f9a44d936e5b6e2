/** The Kubernetes version whose semantics Skiff serves, with Skiff's own marker. */
export const SKIFF_VERSION = 'v1.32.0+skiff';
