import type { FastifyRequest } from 'fastify';
import { platformErrors } from '@only/platform/errors';
import { notificationsErrors } from './errors.ts';

/**
 * The id of the user a request is from (routes of one's own notification centre): 403 for an API
 * client, which has no notifications of its own.
 */
export function signedInUserId(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal === undefined) {
    throw platformErrors.unauthenticated(
      'This route needs an access token: "Authorization: Bearer <token>".',
    );
  }
  if (principal.kind !== 'user')
    throw notificationsErrors.not_a_user('API clients have no notification centre.');
  return principal.subject;
}
