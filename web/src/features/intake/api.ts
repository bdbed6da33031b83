import type { IntakeRun } from '@vosul/common/intake';
import { ApiError, api } from '../../lib/api';

export type { IntakeRun, IntakeFileCount } from '@vosul/common/intake';

export const INTAKE_RUNS_API = '/api/v1/intake-runs';

/**
 * Sends the chosen files (CSV files or one zip) with the optional as-of date and force flag;
 * reports the share sent (XMLHttpRequest: fetch cannot tell upload progress) and answers the queued run.
 */
export async function uploadSnapshot(
  files: File[],
  options: { asOf?: string | undefined; force: boolean },
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<IntakeRun> {
  const { csrf_token } = await api.get<{ csrf_token: string }>('/api/v1/auth/me');
  const form = new FormData();
  if (options.asOf) form.append('as_of', options.asOf);
  if (options.force) form.append('force', 'true');
  for (const file of files) form.append('files', file, file.name);
  return new Promise<IntakeRun>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${INTAKE_RUNS_API}/upload`);
    xhr.setRequestHeader('x-csrf-token', csrf_token);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status === 202) {
        onProgress(1);
        resolve(body as IntakeRun);
        return;
      }
      const error = (body as { error?: { code: string; message: string; field?: string } } | null)?.error;
      reject(
        new ApiError(
          xhr.status,
          (error?.code as ApiError['code'] | undefined) ?? 'unknown',
          error?.message ??
            (xhr.status === 413 ? 'حجم فایل بیش از حد مجاز است.' : `خطای سرور (کد ${xhr.status})`),
          error?.field,
        ),
      );
    };
    xhr.onerror = () =>
      reject(new ApiError(0, 'network', 'ارتباط با سرور برقرار نشد؛ اتصال شبکه را بررسی کنید.'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}
