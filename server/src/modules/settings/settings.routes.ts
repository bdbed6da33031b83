import {
  intakeSettingsPatchSchema,
  intakeSettingsSchema,
  securitySettingsPatchSchema,
  securitySettingsSchema,
} from '@vosul/common';
import { jobQueueFor } from '../../platform/jobs/index.js';
import { scheduleDropFolder } from '../intake-runs/intake-runs.service.js';
import { scheduleDailyRun } from '../day-run/day-runs.service.js';
import { scheduleManagerMail } from '../province-managers/manager-mail.service.js';
import {
  channelAccountsPatchSchema,
  channelAccountsSchema,
  channelTestInputSchema,
  channelTestResultSchema,
  dayRunSettingsPatchSchema,
  dayRunSettingsSchema,
  notificationSettingsPatchSchema,
  notificationSettingsSchema,
} from '@vosul/common/settings';
import { letterSettingsPatchSchema, letterSettingsSchema } from '@vosul/common/letters';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as settings from './settings.service.js';
import { testChannelAccount } from './channel-test.service.js';

export const settingsRoutes: ModuleRoutes = async (app, { deps: { db, config, secrets } }) => {
  const tags = ['settings'];
  const access = { access: { page: 'system_settings' } } as const;

  app.get(
    '/settings/security',
    { config: access, schema: { tags, response: { 200: securitySettingsSchema } } },
    (req) => settings.getSecuritySettings(db, contextOf(req)),
  );
  app.patch(
    '/settings/security',
    {
      config: access,
      schema: { tags, body: securitySettingsPatchSchema, response: { 200: securitySettingsSchema } },
    },
    (req) => settings.updateSecuritySettings(db, contextOf(req), req.body),
  );

  app.get(
    '/settings/intake',
    { config: access, schema: { tags, response: { 200: intakeSettingsSchema } } },
    (req) => settings.getIntakeSettings(db, contextOf(req)),
  );
  app.patch(
    '/settings/intake',
    {
      config: access,
      schema: { tags, body: intakeSettingsPatchSchema, response: { 200: intakeSettingsSchema } },
    },
    (req) =>
      settings.updateIntakeSettings(db, contextOf(req), req.body, async () =>
        scheduleDropFolder(db, await jobQueueFor(db), config.timezone),
      ),
  );

  app.get(
    '/settings/day-run',
    { config: access, schema: { tags, response: { 200: dayRunSettingsSchema } } },
    (req) => settings.getDayRunSettings(db, contextOf(req)),
  );
  app.patch(
    '/settings/day-run',
    {
      config: access,
      schema: { tags, body: dayRunSettingsPatchSchema, response: { 200: dayRunSettingsSchema } },
    },
    (req) =>
      settings.updateDayRunSettings(db, contextOf(req), req.body, async () => {
        const queue = await jobQueueFor(db);
        await scheduleDailyRun(db, queue, config.timezone);
        await scheduleManagerMail(db, queue, config.timezone);
      }),
  );

  app.get(
    '/settings/notifications',
    { config: access, schema: { tags, response: { 200: notificationSettingsSchema } } },
    (req) => settings.getNotificationSettings(db, contextOf(req)),
  );
  app.patch(
    '/settings/notifications',
    {
      config: access,
      schema: {
        tags,
        body: notificationSettingsPatchSchema,
        response: { 200: notificationSettingsSchema },
      },
    },
    (req) => settings.updateNotificationSettings(db, contextOf(req), req.body),
  );

  // V8: the providers' accounts, HQ only; secrets go in sealed and come back masked
  app.get(
    '/settings/channels',
    { config: access, schema: { tags, response: { 200: channelAccountsSchema } } },
    (req) => settings.getChannelAccounts(db, secrets, contextOf(req)),
  );
  app.patch(
    '/settings/channels',
    {
      config: access,
      schema: { tags, body: channelAccountsPatchSchema, response: { 200: channelAccountsSchema } },
    },
    (req) => settings.updateChannelAccounts(db, secrets, contextOf(req), req.body),
  );
  app.post(
    '/settings/channels/test',
    {
      config: access,
      schema: { tags, body: channelTestInputSchema, response: { 200: channelTestResultSchema } },
    },
    (req) => testChannelAccount(db, secrets, contextOf(req), req.body.group),
  );

  // issue 6 point 6: the letterhead and where a warning notice's fields go on the pre-printed paper
  app.get(
    '/settings/letters',
    { config: access, schema: { tags, response: { 200: letterSettingsSchema } } },
    (req) => settings.getLetterSettings(db, contextOf(req)),
  );
  app.patch(
    '/settings/letters',
    {
      config: access,
      schema: { tags, body: letterSettingsPatchSchema, response: { 200: letterSettingsSchema } },
    },
    (req) => settings.updateLetterSettings(db, contextOf(req), req.body),
  );
};
