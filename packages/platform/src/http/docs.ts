import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { HttpApp } from './types.ts';

/** Title and text of a service's API documentation. */
export interface ApiDocsOptions {
  readonly title: string;
  readonly description: string;
  readonly version: string;
}

/**
 * OpenAPI 3.1 generated from the Zod route schemas, served as JSON at `/docs/json` and browsable
 * at `/docs`. Must be registered before the routes it documents.
 */
export async function registerApiDocs(app: HttpApp, options: ApiDocsOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, description: options.description, version: options.version },
      components: {},
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, displayRequestDuration: true },
  });
}
