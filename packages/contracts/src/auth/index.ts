export * from './permissions.ts';
export * from './access-token.ts';
export * from './service-clients.ts';
