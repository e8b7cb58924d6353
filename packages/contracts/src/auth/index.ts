export * from './permissions.ts';
export * from './access-token.ts';
