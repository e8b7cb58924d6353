/**
 * Events emitted by the identity service.
 * @module
 */
export * from './identity-snapshots.ts';
export { tenantCreatedV1, tenantUpdatedV1 } from './tenant-events.v1.ts';
export { userInvitedV1 } from './user-invited.v1.ts';
export { userCreatedV1 } from './user-created.v1.ts';
export { userUpdatedV1 } from './user-updated.v1.ts';
export { userPasswordResetRequestedV1 } from './user-password-reset-requested.v1.ts';
export { userPasswordChangedV1 } from './user-password-changed.v1.ts';
export { roleCreatedV1, roleUpdatedV1, roleDeletedV1 } from './role-events.v1.ts';
export { apiClientCreatedV1, apiClientRevokedV1 } from './client-events.v1.ts';
