/**
 * Logging: JSON lines through pino with secrets, tokens and card data redacted.
 * @module
 */
export { createLogger, redactUrl, type CreateLoggerOptions, type Logger } from './logger.ts';
export { redact, SENSITIVE_KEYS, CENSOR } from './redaction.ts';
