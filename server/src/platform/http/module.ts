import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps.js';

/** A module's route plugin: receives the dependencies and declares Zod-typed routes. */
export type ModuleRoutes = FastifyPluginAsync<{ deps: AppDeps }, never, ZodTypeProvider>;
