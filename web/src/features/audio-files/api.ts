/** V30: the audio files' API (the page and the workflow form's picker). */
export const AUDIO_FILES_API = '/api/v1/audio-files';
