import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/database.js';
import type { SecretBox } from './platform/secrets.js';
import { registerAccessGuard } from './platform/auth/guard.js';
import { registerErrorHandler } from './platform/http/error-handler.js';
import { registerRequestLog, serverLogger } from './platform/request-log.js';
import { AppError } from './platform/errors.js';
import { registerModules } from './modules/index.js';

z.config(z.locales.fa());

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export interface BuildAppOptions {
  config: Config;
  db: Database;
  secrets: SecretBox;
  /** false: no log (tests). */
  logger?: false;
}

/** Builds the HTTP application; tests call this too, against their own database. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, db, secrets } = options;
  const app = Fastify({
    ...(options.logger === false ? { logger: false } : { loggerInstance: serverLogger(config.logLevel) }),
    // one line per request instead of two (platform/request-log.ts)
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy ?? false,
    bodyLimit: 2 * 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerRequestLog(app);

  // The API documentation and the web app's static files are public; every /api/v1 route declares its own.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs') || !route.url.startsWith('/api/')) {
      route.config = { ...(route.config ?? {}), access: { public: true } };
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 20 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Vosul API', version: '1', description: 'وصول: سامانه پیگیری و وصول مطالبات' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'vosul_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list' },
  });
  registerAccessGuard(app, db);

  app.get(
    '/api/health',
    {
      config: { access: { public: true } },
      schema: { response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => {
      await db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
      return { status: 'ok' as const };
    },
  );

  await registerModules(app, { config, db, secrets, logger: app.log });

  if (existsSync(WEB_DIST)) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: true });
  }
  app.setNotFoundHandler((request, reply) => {
    // The SPA answers its own addresses; a missing API route or asset is a real 404.
    if (/^\/(api|assets)\//.test(request.url) || !existsSync(path.join(WEB_DIST, 'index.html'))) {
      throw new AppError('not_found', 'نشانی درخواست‌شده وجود ندارد');
    }
    return reply.sendFile('index.html');
  });
  return app;
}
