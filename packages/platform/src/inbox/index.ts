/**
 * Inbox: exactly-once effect for at-least-once delivery.
 * @module
 */
export { Inbox, consumeEvents, type ConsumeOptions, type InboxOutcome } from './inbox.ts';
