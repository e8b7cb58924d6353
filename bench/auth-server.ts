// A platform HTTP server with one public and one protected route, for bench/auth.ts: the two differ
// only by access-token verification (EdDSA, as the identity service signs).
import { authorizeRoutes, createHttpServer } from '@only/platform/http';
import { silentLogger, TestIssuer } from '@only/testing';

const issuer = await TestIssuer.create();
const app = await createHttpServer({
  logger: silentLogger(),
  docs: { title: 'Auth bench', description: 'Token verification cost.', version: '1.0.0' },
});
await app.register((scope, _options, done) => {
  authorizeRoutes(scope, issuer.verifier());
  scope.get('/public', { config: { public: true } }, () => ({ ok: true }));
  scope.get('/protected', { config: { permission: 'orders:read' } }, () => ({ ok: true }));
  done();
});
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const token = await issuer.token({ tenantId: 'ten_01m80n5wh0fq8bg2x0v9vtay4p', roles: ['viewer'] });
process.stdout.write(`token ${token}\nlistening ${address}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
