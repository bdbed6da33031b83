import type { Executor } from './db/database.js';
import type { RequestContext } from './auth/context.js';

export type AuditAction = 'create' | 'update' | 'delete';

/**
 * B4: every create, update and delete of a record people change is recorded in the same transaction
 * as the change — who, when, from where, the values before and after.
 */
export async function recordAudit(
  trx: Executor,
  ctx: RequestContext | SystemActor,
  entry: {
    entity: string;
    entityId: string | number;
    action: AuditAction;
    before?: unknown;
    after?: unknown;
  },
): Promise<void> {
  const actor = 'user' in ctx ? ctx.user : null;
  await trx
    .insertInto('audit_log')
    .values({
      actor_user_id: actor?.id ?? null,
      actor_username: actor?.username ?? (ctx as SystemActor).system,
      ip: 'ip' in ctx ? ctx.ip : null,
      request_id: 'requestId' in ctx ? ctx.requestId : null,
      entity: entry.entity,
      entity_id: String(entry.entityId),
      action: entry.action,
      before: entry.before === undefined ? null : JSON.stringify(redact(entry.before)),
      after: entry.after === undefined ? null : JSON.stringify(redact(entry.after)),
    })
    .execute();
}

/** A change made by the system itself (first start, the CLI), named for the audit. */
export interface SystemActor {
  system: string;
}

const SECRET_KEYS = new Set(['password_hash', 'password', 'content']);

function redact(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(redact);
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) =>
      SECRET_KEYS.has(k) ? [k, '***'] : [k, v instanceof Date ? v.toISOString() : redact(v)],
    ),
  );
}
