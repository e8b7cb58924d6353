import { problemResponses, type HttpApp } from '@only/platform/http';
import { z } from 'zod';
import { requestMeta } from '../../request-meta.ts';
import { createRoleBody, roleIdParams, roleListSchema, roleSchema, updateRoleBody } from './roles.dto.ts';
import { type Grantable, type RolesService } from './roles.service.ts';

const tags = ['roles'];

/** The permissions of the caller (every route here is protected, so there is a principal). */
function grantable(request: { principal: { permissions: Grantable } | undefined }): Grantable {
  return request.principal?.permissions ?? new Set();
}

/** HTTP routes of roles. */
export function rolesRoutes(app: HttpApp, service: RolesService): void {
  app.get(
    '/roles',
    {
      config: { permission: 'roles:read' },
      schema: {
        tags,
        summary: "List the built-in roles and the tenant's custom roles, with their permissions",
        response: { 200: roleListSchema, ...problemResponses(401, 403) },
      },
    },
    (request) => service.list(request.ctx),
  );

  app.get(
    '/roles/:id',
    {
      config: { permission: 'roles:read' },
      schema: {
        tags,
        summary: 'Get a custom role',
        params: roleIdParams,
        response: { 200: roleSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => service.get(request.ctx, request.params.id),
  );

  app.post(
    '/roles',
    {
      config: { permission: 'roles:manage' },
      schema: {
        tags,
        summary: 'Create a custom role',
        description: 'Its name must differ from the built-in roles; you can only grant permissions you hold.',
        body: createRoleBody,
        response: { 201: roleSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const role = await service.create(request.ctx, request.body, grantable(request), requestMeta(request));
      void reply.code(201).header('location', `roles/${role.id ?? ''}`);
      return role;
    },
  );

  app.patch(
    '/roles/:id',
    {
      config: { permission: 'roles:manage' },
      schema: {
        tags,
        summary: 'Change a custom role (a new name is applied to every holder)',
        params: roleIdParams,
        body: updateRoleBody,
        response: { 200: roleSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      service.update(request.ctx, request.params.id, request.body, grantable(request), requestMeta(request)),
  );

  app.delete(
    '/roles/:id',
    {
      config: { permission: 'roles:manage' },
      schema: {
        tags,
        summary: 'Delete a custom role that nobody holds',
        params: roleIdParams,
        response: { 204: z.null().describe('Deleted'), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await service.delete(request.ctx, request.params.id, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
