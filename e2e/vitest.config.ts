import { defineConfig } from 'vitest/config';

// The distributed-mode suite: real processes on PostgreSQL, RabbitMQ and Redis. One file at a time:
// some tests stop the shared broker, and every file runs a whole deployment.
export default defineConfig({
  test: {
    include: ['e2e/distributed/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
