import { randomUUID } from 'node:crypto';
import type { TestSendInput, TestSendResult } from '@vosul/common/test-send';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { invalidField } from '../../platform/errors.js';
import type { SecretBox } from '../../platform/secrets.js';
import { readSetting } from '../../platform/settings.js';
import { ProviderDownError } from './channels/adapter.js';
import { channelAdapters, sqlRunnerOf } from './channels/index.js';

/**
 * Sends one message at once through the channel's provider and answers what it said. A test send is
 * no notification (no facility, branch or recipient role, and it must not count against anyone's
 * contact caps or show in the report), so it is recorded in the audit log as `test_send`.
 */
export async function sendTest(
  db: Database,
  secrets: SecretBox,
  ctx: RequestContext,
  input: TestSendInput,
): Promise<TestSendResult> {
  const adapter = (await channelAdapters(db, sqlRunnerOf(db), secrets))[input.channel];
  if (!adapter)
    throw invalidField(
      'channel',
      'سرویس‌دهنده انتخاب‌شده برای این نوع اطلاع‌رسانی در این نسخه هنوز پشتیبانی نمی‌شود',
    );
  const lines = await readSetting(db, 'sms_lines');
  // a test is transactional: the service line when one is configured (P5)
  const line = lines.service ? 'service' : 'advertising';
  const localId = `test-${randomUUID()}`;
  let result: TestSendResult;
  try {
    const [answer] = await adapter.send([
      {
        localId,
        channel: input.channel,
        address: input.address,
        text: input.text,
        ...(input.channel === 'sms' ? { line, sender: lines[line] } : {}),
      },
    ]);
    result = {
      accepted: answer?.outcome === 'accepted',
      channel: input.channel,
      address: input.address,
      provider: adapter.provider,
      provider_id: answer?.outcome === 'accepted' ? answer.providerId : null,
      error:
        answer === undefined ? 'سرویس‌دهنده پاسخی نداد' : answer.outcome === 'accepted' ? null : answer.error,
    };
  } catch (err) {
    if (!(err instanceof ProviderDownError)) throw err;
    result = {
      accepted: false,
      channel: input.channel,
      address: input.address,
      provider: adapter.provider,
      provider_id: null,
      error: err.message,
    };
  }
  await recordAudit(db, ctx, {
    entity: 'test_send',
    entityId: localId,
    action: 'create',
    after: { ...result, text: input.text },
  });
  return result;
}
