import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Session } from './harness.js';

/** A multipart/form-data body carrying one file, as a browser's FormData would send it. */
export function multipartFile(
  content: Buffer,
  fileName: string,
  contentType = 'application/octet-stream',
  field = 'file',
): { payload: Buffer; contentType: string } {
  const boundary = `----vosul${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Sends one file as a signed-in session (cookie and CSRF header), like the web app's upload. */
export function uploadFile(
  app: FastifyInstance,
  session: Session,
  method: 'POST' | 'PUT',
  url: string,
  file: { content: Buffer; name: string; type?: string },
): Promise<LightMyRequestResponse> {
  const body = multipartFile(file.content, file.name, file.type);
  return app.inject({
    method,
    url,
    payload: body.payload,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': body.contentType },
  });
}

/** Any other request of a session with a method the harness lacks (PUT). */
export function send(
  app: FastifyInstance,
  session: Session,
  method: 'PUT' | 'DELETE',
  url: string,
  payload?: object,
) {
  return app.inject({
    method,
    url,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    ...(payload ? { payload } : {}),
  });
}
