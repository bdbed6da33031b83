import { z } from 'zod';
import { deleteManySchema, pageOf } from '@vosul/common';
import { AUDIO_FILE_MAX_BYTES, audioFileListQuerySchema, audioFileSchema } from '@vosul/common/audio-files';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import { readSingleFile } from '../../platform/http/upload.js';
import * as audioFiles from './audio-files.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const recordingParams = z.object({ name: z.string().max(100) });
const PAGE = { access: { page: 'audio_files' } } as const;
// the workflow editors pick a call's recording from the list and listen to it
const PAGE_OR_WORKFLOWS = { access: { page: ['audio_files', 'workflows'] } } as const;

/** V30: the recorded messages of the phone system (upload, list, delete, playback). */
export const audioFilesRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['audio-files'];

  app.get(
    '/audio-files',
    {
      config: PAGE_OR_WORKFLOWS,
      schema: { tags, querystring: audioFileListQuerySchema, response: { 200: pageOf(audioFileSchema) } },
    },
    (req) => audioFiles.listAudioFiles(db, req.query),
  );
  app.post(
    '/audio-files',
    { config: PAGE, schema: { tags, consumes: ['multipart/form-data'], response: { 201: audioFileSchema } } },
    async (req, reply) => {
      const file = await readSingleFile(req, AUDIO_FILE_MAX_BYTES, audioFiles.fileTooLarge().message);
      return reply.status(201).send(await audioFiles.uploadAudioFile(db, contextOf(req), file));
    },
  );
  app.get(
    '/audio-files/:id/content',
    { config: PAGE_OR_WORKFLOWS, schema: { tags, params: idParams } },
    async (req, reply) => {
      const stream = await audioFiles.streamAudioFile(db, req.params.id, req.headers['range']);
      return reply.status(stream.status).headers(stream.headers).send(stream.body);
    },
  );
  // the PBX fetches the recording it plays (it holds no session): the name is the content's hash
  app.get(
    '/pbx-media/:name',
    { config: { access: { public: true } }, schema: { tags, params: recordingParams } },
    async (req, reply) => {
      const file = await audioFiles.readRecordingForPhoneSystem(
        db,
        req.params.name,
        req.headers['if-none-match'],
      );
      return reply.status(file.status).headers(file.headers).send(file.body);
    },
  );
  app.post(
    '/audio-files/delete',
    { config: PAGE, schema: { tags, body: deleteManySchema } },
    async (req, reply) => {
      await audioFiles.deleteAudioFiles(db, contextOf(req), req.body.ids);
      return reply.status(204).send();
    },
  );
};
