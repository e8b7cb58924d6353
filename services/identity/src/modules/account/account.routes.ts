import { problemResponses, type HttpApp } from '@only/platform/http';
import { z } from 'zod';
import { requestMeta } from '../../request-meta.ts';
import { emailVerificationBody, passwordResetBody, passwordResetRequestBody } from './account.dto.ts';
import type { AccountService } from './account.service.ts';

const tags = ['account'];

// These routes are public: an Idempotency-Key would be stored under one shared "no tenant", so
// strangers could replay each other's answers. They are safe to retry without one.
const publicRoute = { public: true, idempotent: false, crossTenant: true } as const;

/** HTTP routes a user calls with a token from an email: verification and password reset. */
export function accountRoutes(app: HttpApp, service: AccountService): void {
  app.post(
    '/email-verification',
    {
      config: publicRoute,
      schema: {
        tags,
        summary: 'Verify an email address with the token of the invitation (and choose a password)',
        body: emailVerificationBody,
        response: { 204: z.null().describe('Verified'), ...problemResponses(400, 422) },
      },
    },
    async (request, reply) => {
      await service.verifyEmail(request.ctx, request.body, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/password-reset-requests',
    {
      config: publicRoute,
      schema: {
        tags,
        summary: 'Ask for a password reset email',
        description:
          'Always 202, whether or not the tenant and email exist, so that nobody can find out which accounts exist.',
        body: passwordResetRequestBody,
        response: { 202: z.null().describe('Accepted'), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      await service.requestPasswordReset(request.ctx, request.body, requestMeta(request));
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/password-resets',
    {
      config: publicRoute,
      schema: {
        tags,
        summary: 'Set a new password with the token of a reset email',
        description: 'The token works once, for 30 minutes. Every session of the user is ended.',
        body: passwordResetBody,
        response: { 204: z.null().describe('Password changed'), ...problemResponses(400, 422) },
      },
    },
    async (request, reply) => {
      await service.resetPassword(request.ctx, request.body, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
