import { identityErrors } from '../errors.ts';

/** Shortest password accepted (NIST SP 800-63B asks for 8; we ask for 12). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted: long passphrases are welcome, megabytes to hash are not. */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * Checks a new password against the policy: 12 to 256 characters (counted as Unicode code
 * points, so a passphrase in any script counts fairly). A 422 naming the field otherwise.
 */
export function assertPasswordPolicy(password: string, field = 'password'): void {
  let length = 0;
  for (const _codePoint of password) length += 1;
  const problem =
    length < MIN_PASSWORD_LENGTH
      ? { rule: 'min_length', message: `Must have at least ${MIN_PASSWORD_LENGTH} characters` }
      : length > MAX_PASSWORD_LENGTH
        ? { rule: 'max_length', message: `Must have at most ${MAX_PASSWORD_LENGTH} characters` }
        : password.trim() === ''
          ? { rule: 'not_blank', message: 'Must not be only spaces' }
          : undefined;
  if (problem) {
    throw identityErrors.weak_password(`${field}: ${problem.message}`, {
      field,
      errors: [{ field, in: 'body', ...problem }],
    });
  }
}
