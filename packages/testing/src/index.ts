/**
 * Test fixtures for Only: databases (PGlite, or PostgreSQL when `DATABASE_URL` is set), an event
 * recorder, a manual clock, loggers, a Redis server, a TCP proxy and a real SMTP server.
 * @module
 */
export { createTestDatabase, type TestDatabase } from './test-database.ts';
export { EventRecorder } from './event-recorder.ts';
export { ManualClock } from './manual-clock.ts';
export { silentLogger, capturingLogger } from './logger.ts';
export { createPlatformSchema } from './platform-schema.ts';
export { TcpProxy } from './tcp-proxy.ts';
export { RedisTestServer, freePort } from './redis-test-server.ts';
export { TestIssuer, type TestTokenClaims } from './test-issuer.ts';
export { passwordLogin, DEMO_OWNER, type PasswordCredentials } from './password-login.ts';
export { TestSmtpServer, type ReceivedMail } from './smtp-server.ts';
export { parseMail, type ParsedMail } from './mime.ts';
