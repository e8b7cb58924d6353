/**
 * Test fixtures for Only: databases (PGlite, or PostgreSQL when `DATABASE_URL` is set), an event
 * recorder, a manual clock, loggers, a Redis server, a TCP proxy, a real SMTP server, and an API client
 * that calls a service's app through `inject()` with assertions on its responses.
 * @module
 */
export { createTestDatabase, type TestDatabase } from './test-database.ts';
export { EventRecorder } from './event-recorder.ts';
export { ManualClock } from './manual-clock.ts';
export { silentLogger, capturingLogger } from './logger.ts';
export { createPlatformSchema } from './platform-schema.ts';
export { TcpProxy } from './tcp-proxy.ts';
export { RedisTestServer, freePort, freePorts } from './redis-test-server.ts';
export { TestIssuer, type TestTokenClaims } from './test-issuer.ts';
export { passwordLogin, DEMO_OWNER, type PasswordCredentials } from './password-login.ts';
export { TestSmtpServer, type ReceivedMail } from './smtp-server.ts';
export { parseMail, type ParsedMail } from './mime.ts';
export { SseClient, type StreamEvent } from './sse-client.ts';
export {
  InjectClient,
  toApiResponse,
  expectStatus,
  type ApiResponse,
  type ClientIdentity,
  type InjectableApp,
  type InjectRequest,
  type InjectResponse,
  type Method,
  type Query,
  type RequestOptions,
} from './inject-client.ts';
export { expectProblem, expectValidationProblem, type ExpectedViolation } from './problem-expectations.ts';
