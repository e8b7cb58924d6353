import { platformErrors } from '@only/platform/errors';
import { problemResponses, type HttpApp } from '@only/platform/http';
import type { Principal } from '@only/platform/auth';
import type { FastifyRequest } from 'fastify';
import { requestMeta } from '../../request-meta.ts';
import type { Grantable } from '../roles/roles.service.ts';
import {
  createUserBody,
  listUsersQuery,
  meSchema,
  updateUserBody,
  userIdParams,
  userPageSchema,
  userSchema,
} from './users.dto.ts';
import type { UsersService } from './users.service.ts';

const tags = ['users'];

function grantable(request: FastifyRequest): Grantable {
  return request.principal?.permissions ?? new Set();
}

/**
 * The signed-in user of a route that any authenticated user may call (declared public, so the
 * check is here): 401 without a token, 403 for a machine client, which has no profile.
 */
export function signedInUser(request: FastifyRequest): Principal {
  const principal = request.principal;
  if (principal === undefined) {
    throw platformErrors.unauthenticated(
      'This route needs an access token: "Authorization: Bearer <token>".',
    );
  }
  if (principal.kind !== 'user')
    throw platformErrors.forbidden('This route is for users; API clients have no profile.');
  return principal;
}

/** HTTP routes of users. */
export function usersRoutes(app: HttpApp, service: UsersService): void {
  app.post(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags,
        summary: 'Invite a user',
        description:
          'The user gets an email (event `identity.user.invited`) with a single-use link to verify the address and choose a password. You can only give roles whose permissions you hold.',
        body: createUserBody,
        response: { 201: userSchema, ...problemResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = await service.invite(request.ctx, request.body, grantable(request), requestMeta(request));
      void reply.code(201).header('location', `users/${user.id}`);
      return user;
    },
  );

  app.get(
    '/users',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary: 'List users, newest first, optionally matching a text or status',
        querystring: listUsersQuery,
        response: { 200: userPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    (request) => service.list(request.ctx, request.query),
  );

  app.get(
    '/users/:id',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary: 'Get a user',
        params: userIdParams,
        response: { 200: userSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags,
        summary: "Change a user's name, roles or status",
        description:
          'Disabling a user ends their sessions. The tenant always keeps an active owner. You can only change users whose permissions you hold, and give roles whose permissions you hold.',
        params: userIdParams,
        body: updateUserBody,
        response: { 200: userSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    (request) =>
      service.update(request.ctx, request.params.id, request.body, grantable(request), requestMeta(request)),
  );

  app.get(
    '/me',
    {
      // Any signed-in user: no permission to declare, so the token is checked in the handler.
      config: { public: true },
      schema: {
        tags,
        summary: 'The signed-in user, their tenant and their permissions',
        response: { 200: meSchema, ...problemResponses(401, 403, 404) },
      },
    },
    (request) => service.me(signedInUser(request)),
  );
}
