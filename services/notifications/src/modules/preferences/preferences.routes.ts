import { problemResponses, type HttpApp } from '@only/platform/http';
import { signedInUserId } from '../../signed-in-user.ts';
import { preferencesSchema, putPreferencesBody } from './preferences.dto.ts';
import type { PreferencesService } from './preferences.service.ts';

const tags = ['preferences'];

/** HTTP routes of the signed-in user's notification preferences. */
export function preferencesRoutes(app: HttpApp, service: PreferencesService): void {
  app.get(
    '/preferences',
    {
      config: { permission: 'notifications:inbox' },
      schema: {
        tags,
        summary: 'Your notification preferences: which kinds reach you on which channel',
        response: { 200: preferencesSchema, ...problemResponses(401, 403) },
      },
    },
    (request) => service.get(request.ctx, signedInUserId(request)),
  );

  app.put(
    '/preferences',
    {
      config: { permission: 'notifications:inbox' },
      schema: {
        tags,
        summary: 'Set your notification preferences',
        description:
          'Turn kinds on or off per channel, e.g. `{"kinds": {"low_stock": {"email": true, "in_app": false}}}`; what you leave out keeps its default. Password resets and invitations are always emailed.',
        body: putPreferencesBody,
        response: { 200: preferencesSchema, ...problemResponses(400, 401, 403, 422) },
      },
    },
    (request) => service.put(request.ctx, signedInUserId(request), request.body),
  );
}
