import { z } from 'zod';
import { slugSchema } from '../tenants/tenants.dto.ts';
import { emailSchema } from '../users/users.dto.ts';

const token = z.string().trim().min(1).max(200).describe('The token from the email link.');
// Length is checked by the password policy (a 422 naming the field), not here.
const password = z.string().max(4096);

export const emailVerificationBody = z
  .object({
    token,
    password: password.optional().describe('Choose a password at the same time (accepting an invitation).'),
  })
  .strict()
  .meta({ id: 'EmailVerification' });
export type EmailVerificationInput = z.output<typeof emailVerificationBody>;

export const passwordResetRequestBody = z
  .object({ tenant: slugSchema.describe('Slug of the tenant.'), email: emailSchema })
  .strict()
  .meta({ id: 'PasswordResetRequest' });
export type PasswordResetRequestInput = z.output<typeof passwordResetRequestBody>;

export const passwordResetBody = z
  .object({ token, password: password.describe('The new password: 12 to 256 characters.') })
  .strict()
  .meta({ id: 'PasswordReset' });
export type PasswordResetInput = z.output<typeof passwordResetBody>;
