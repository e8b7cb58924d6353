import { z } from 'zod';
import { errorCatalogue, findErrorSpec } from '../errors/catalogue.ts';
import { platformErrors } from '../errors/platform-errors.ts';
import type { HttpApp } from './types.ts';

const entrySchema = z.object({
  code: z.string(),
  status: z.number().int(),
  title: z.string(),
  description: z.string().optional(),
});

/** `/problems` and `/problems/<code>`: what each problem `type` URI of our error documents means. */
export function registerProblemRoutes(app: HttpApp): void {
  app.get(
    '/problems',
    {
      schema: {
        tags: ['problems'],
        summary: 'Every error code the API can answer with',
        response: { 200: z.object({ items: z.array(entrySchema) }) },
      },
    },
    () => ({ items: errorCatalogue() }),
  );
  app.get(
    '/problems/:code',
    {
      schema: {
        tags: ['problems'],
        summary: 'What one error code means',
        params: z.object({ code: z.string().max(200) }),
        response: { 200: entrySchema },
      },
    },
    (request) => {
      const entry = findErrorSpec(request.params.code);
      if (!entry) throw platformErrors.not_found(`No error code ${request.params.code}`);
      return entry;
    },
  );
}
