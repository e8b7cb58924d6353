import formbody from '@fastify/formbody';
import { isAppError } from '@only/platform/errors';
import { problemResponses, type HttpApp } from '@only/platform/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { oauthError } from '../../errors.ts';
import { requestMeta } from '../../request-meta.ts';
import type { SigningKeys } from '../keys/keys.service.ts';
import { signedInUser } from '../users/users.routes.ts';
import { clientCredentialsOf, type ClientCredentials } from './client-authentication.ts';
import {
  discoverySchema,
  jwksSchema,
  logoutBody,
  revokeRequestBody,
  tokenRequestBody,
  tokenResponseSchema,
  userinfoSchema,
} from './tokens.dto.ts';
import type { TokensService } from './tokens.service.ts';

const tags = ['oauth'];

// Public, and never replayed: a token answer must not be stored, nor served twice.
const endpoint = { public: true, idempotent: false, crossTenant: true } as const;
const FORM_OR_JSON = ['application/x-www-form-urlencoded', 'application/json'];

function authorizationOf(request: FastifyRequest): string | undefined {
  const value = request.headers.authorization;
  return typeof value === 'string' ? value : undefined;
}

/** A body that broke the schema is an OAuth `invalid_request`, not a generic validation problem. */
function assertValidBody(request: FastifyRequest): void {
  const error = request.validationError;
  if (error === undefined) return;
  const detail = isAppError(error) ? error.detail : error.message;
  throw oauthError('invalid_request', detail ?? 'The request is malformed.');
}

/** Headers RFC 6749 and 6750 want on errors: Retry-After for a locked account, WWW-Authenticate for Basic. */
function withErrorHeaders(
  reply: FastifyReply,
  error: unknown,
  client: ClientCredentials | undefined,
): unknown {
  if (isAppError(error)) {
    const retryAfter = error.extensions.retryAfter;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    if (error.code === 'identity.invalid_client' && client?.method === 'client_secret_basic') {
      void reply.header('www-authenticate', 'Basic realm="only", charset="UTF-8"');
    }
  }
  return error;
}

/** OAuth 2.0 / OpenID Connect routes: discovery, keys, token, revocation, logout, userinfo. */
export async function tokensRoutes(
  app: HttpApp,
  services: { tokens: TokensService; keys: SigningKeys },
): Promise<void> {
  const { tokens, keys } = services;

  app.get(
    '/.well-known/openid-configuration',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'OpenID Provider configuration: issuer, endpoints, algorithms, grant types',
        response: { 200: discoverySchema },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=300');
      return tokens.discovery();
    },
  );

  app.get(
    '/.well-known/jwks.json',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Public keys that verify access tokens (every key not yet retired)',
        response: { 200: jwksSchema },
      },
    },
    async (_request, reply) => {
      // Short: verifiers refetch on an unknown key id anyway, and a rotated-in key must show soon.
      void reply.header('cache-control', 'public, max-age=60');
      return keys.jwks();
    },
  );

  // Form bodies (RFC 6749 requires application/x-www-form-urlencoded) only for the endpoints that
  // need them: elsewhere a form is a 415, so a cross-site HTML form cannot reach the other routes.
  await app.register(async (oauth: HttpApp) => {
    await oauth.register(formbody);

    oauth.post(
      '/oauth/token',
      {
        config: endpoint,
        attachValidation: true,
        schema: {
          tags,
          summary: 'Get tokens: password, refresh_token or client_credentials grant',
          consumes: FORM_OR_JSON,
          description:
            'Form-encoded (or JSON) per RFC 6749. Refresh tokens are single use: each refresh returns a new one, and presenting a used one revokes its whole family. Errors are problems that also carry `error` and `error_description`.',
          body: tokenRequestBody,
          response: { 200: tokenResponseSchema, ...problemResponses(400, 401, 429) },
        },
      },
      async (request, reply) => {
        // Tokens, and errors about them, must not be cached (RFC 6749 §5.1).
        void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        let client: ClientCredentials | undefined;
        try {
          assertValidBody(request);
          client = clientCredentialsOf(authorizationOf(request), request.body);
          return await tokens.token(request.body, client, requestMeta(request));
        } catch (error) {
          throw withErrorHeaders(reply, error, client);
        }
      },
    );

    oauth.post(
      '/oauth/revoke',
      {
        config: endpoint,
        attachValidation: true,
        schema: {
          tags,
          summary: 'Revoke a refresh token and its whole family (RFC 7009)',
          consumes: FORM_OR_JSON,
          description: 'Answers 200 whether or not the token was known.',
          body: revokeRequestBody,
          response: { 200: z.null(), ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        void reply.header('cache-control', 'no-store');
        let client: ClientCredentials | undefined;
        try {
          assertValidBody(request);
          client = clientCredentialsOf(authorizationOf(request), request.body);
          await tokens.revoke(request.body.token, client, requestMeta(request));
        } catch (error) {
          throw withErrorHeaders(reply, error, client);
        }
        return reply.code(200).send(null);
      },
    );
  });

  app.post(
    '/logout',
    {
      // Any signed-in user: no permission to declare, so the token is checked in the handler.
      config: { public: true, idempotent: false },
      schema: {
        tags,
        summary: 'Sign out: revoke the refresh token of this session (and its family)',
        body: logoutBody,
        response: { 204: z.null().describe('Signed out'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await tokens.logout(signedInUser(request), request.body.refreshToken, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/userinfo',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'OpenID Connect userinfo of the signed-in user',
        response: { 200: userinfoSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return tokens.userinfo(signedInUser(request));
    },
  );
}
