import { defineErrors } from '@only/platform/errors';

/** Errors of the notifications service: `notifications.<name>`, documented at `/problems/notifications.<name>`. */
export const notificationsErrors = defineErrors('notifications', {
  notification_not_found: {
    status: 404,
    title: 'Notification not found',
    description: 'No in-app notification with this id for the signed-in user.',
  },
  delivery_not_found: { status: 404, title: 'Delivery not found' },
  template_not_found: {
    status: 404,
    title: 'Template not found',
    description: 'Neither the tenant nor Only has a template of this kind in this language.',
  },
  template_invalid: {
    status: 422,
    title: 'The template does not compile',
    description:
      '`field` names the part (`subject`, `html`, `text`, `sms`, `inAppTitle`, `inAppBody`) and `error` gives the Handlebars error. Templates may use the helpers `money`, `date` and `datetime` only, and no partials.',
  },
  template_part_unused: {
    status: 422,
    title: 'This kind of message has no such part',
    description:
      'For example, only kinds sent to the tenant’s staff have in-app parts, only some customer messages an SMS.',
  },
  preference_mandatory: {
    status: 422,
    title: 'This notification cannot be turned off',
    description:
      'Password resets and invitations are always sent by email: they are how a user gets into their account.',
  },
  preference_not_choosable: {
    status: 422,
    title: 'This kind cannot be chosen on this channel',
    description: '`GET /preferences` lists every kind and channel a user can turn on or off.',
  },
  not_a_user: {
    status: 403,
    title: 'Only users have notifications',
    description: 'API clients (machine credentials) have no in-app notifications or preferences.',
  },
});
