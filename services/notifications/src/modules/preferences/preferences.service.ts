import type { Clock } from '@only/platform/clock';
import type { RequestContext } from '@only/platform/context';
import { notificationsErrors } from '../../errors.ts';
import {
  choosableChannels,
  KIND_POLICIES,
  NOTIFICATION_KINDS,
  type Channel,
  type NotificationKind,
} from '../templates/notification-kinds.ts';
import type { Preferences, PutPreferencesInput } from './preferences.dto.ts';
import type { PreferencesRepository } from './preferences.repository.ts';
import type { ChannelSwitches, PreferencesRow } from './preferences.table.ts';

/** Whether `kind` reaches a user on `channel`, given their stored switches (defaults otherwise). */
export function isEnabled(
  row: PreferencesRow | undefined,
  kind: NotificationKind,
  channel: Channel,
): boolean {
  const policy = KIND_POLICIES[kind];
  if (policy.account?.includes(channel)) return true;
  const chosen = row?.channels[kind]?.[channel];
  return chosen ?? policy.staff?.defaults[channel] ?? false;
}

/**
 * Each user's choice of which kinds reach them on which channel, and in which language. Mails
 * about the user's own account (password reset, invitation) are mandatory: they are how a user
 * gets into their account, so a switch cannot lose them.
 */
export class PreferencesService {
  private readonly repository: PreferencesRepository;
  private readonly clock: Clock;

  constructor(deps: { repository: PreferencesRepository; clock: Clock }) {
    this.repository = deps.repository;
    this.clock = deps.clock;
  }

  async get(ctx: RequestContext, userId: string): Promise<Preferences> {
    return toPreferences(await this.repository.find(ctx.tenantId, userId));
  }

  /** Replaces the user's language and switches with what the body says (defaults for the rest). */
  async put(ctx: RequestContext, userId: string, input: PutPreferencesInput): Promise<Preferences> {
    const channels: ChannelSwitches = {};
    for (const [kind, switches] of Object.entries(input.kinds) as [
      NotificationKind,
      Partial<Record<Channel, boolean>>,
    ][]) {
      for (const [channel, enabled] of Object.entries(switches) as [Channel, boolean][]) {
        const field = `kinds.${kind}.${channel}`;
        if (KIND_POLICIES[kind].account?.includes(channel)) {
          if (!enabled)
            throw notificationsErrors.preference_mandatory(`${kind} by ${channel} is always sent.`, {
              field,
            });
          continue;
        }
        if (!choosableChannels(kind).includes(channel)) {
          throw notificationsErrors.preference_not_choosable(`${kind} does not reach users by ${channel}.`, {
            field,
          });
        }
        (channels[kind] ??= {})[channel] = enabled;
      }
    }
    const row = await this.repository.upsert({
      tenantId: ctx.tenantId,
      userId,
      locale: input.locale ?? null,
      channels,
      updatedAt: this.clock.now(),
    });
    return toPreferences(row);
  }
}

function toPreferences(row: PreferencesRow | undefined): Preferences {
  const kinds: Preferences['kinds'] = [];
  for (const kind of NOTIFICATION_KINDS) {
    for (const channel of KIND_POLICIES[kind].account ?? [])
      kinds.push({ kind, channel, enabled: true, mandatory: true });
    for (const channel of choosableChannels(kind))
      kinds.push({ kind, channel, enabled: isEnabled(row, kind, channel), mandatory: false });
  }
  return { locale: row?.locale ?? null, kinds, updatedAt: row?.updatedAt.toISOString() ?? null };
}
