/**
 * Names for objects created with `metadata.generateName`, as upstream's SimpleNameGenerator
 * makes them: the prefix cut to 58 characters, then 5 random characters, so the result fits a
 * 63-character DNS label.
 */

const MAX_NAME_LENGTH = 63;
const RANDOM_LENGTH = 5;
export const MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

/** Consonants and digits only, so generated names spell no words (utilrand's alphabet). */
export const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export interface GenerateNameOptions {
  /** A source of numbers in [0, 1); Math.random by default. */
  random?: () => number;
}

export function generateName(base: string, options: GenerateNameOptions = {}): string {
  const random = options.random ?? Math.random;
  let name = base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base;
  for (let i = 0; i < RANDOM_LENGTH; i++) {
    const index = Math.min(Math.floor(random() * GENERATE_NAME_ALPHABET.length), GENERATE_NAME_ALPHABET.length - 1);
    name += GENERATE_NAME_ALPHABET[index] ?? '';
  }
  return name;
}
