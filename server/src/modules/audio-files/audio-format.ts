/**
 * What an uploaded recording really is, read from its bytes (never its name or declared type): a
 * RIFF/WAVE file (its `fmt ` and `data` chunks) or an MPEG audio stream (MP3: its frame headers, after
 * an optional ID3v2 tag), with its duration computed from the content.
 */
export interface AudioContent {
  format: 'wav' | 'mp3';
  durationMs: number;
  /** the media type it is served with */
  mediaType: string;
}

export function readAudioContent(bytes: Buffer): AudioContent | null {
  return readWav(bytes) ?? readMp3(bytes);
}

/** RIFF/WAVE: duration = the `data` chunk's bytes / the `fmt ` chunk's byte rate. */
function readWav(bytes: Buffer): AudioContent | null {
  if (bytes.length < 44) return null;
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') return null;
  let byteRate = 0;
  let dataBytes = -1;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) return null;
      const channels = bytes.readUInt16LE(body + 2);
      const sampleRate = bytes.readUInt32LE(body + 4);
      byteRate = bytes.readUInt32LE(body + 8);
      const blockAlign = bytes.readUInt16LE(body + 12);
      if (channels === 0 || sampleRate === 0 || byteRate === 0 || blockAlign === 0) return null;
      // the duration is the data over the byte rate: a rate beyond what the samples can carry would
      // pass a long recording off as a short one (PCM, A-law and µ-law: exactly rate × block)
      const codec = bytes.readUInt16LE(body);
      if (
        [1, 3, 6, 7].includes(codec)
          ? byteRate !== sampleRate * blockAlign
          : byteRate > sampleRate * channels * 8
      )
        return null;
    } else if (id === 'data') {
      // a recorder that could not seek back writes 0 or 0xFFFFFFFF: the data runs to the end
      dataBytes = Math.min(size === 0 || size === 0xffffffff ? Infinity : size, bytes.length - body);
      break;
    }
    offset = body + size + (size % 2); // chunks are padded to an even length
  }
  if (byteRate === 0 || dataBytes <= 0) return null;
  return { format: 'wav', durationMs: Math.round((dataBytes / byteRate) * 1000), mediaType: 'audio/wav' };
}

// kbit/s by [version 1 | 2 and 2.5][layer I, II, III][index]
const BITRATES = {
  v1: [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  v2: [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
};
const SAMPLE_RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000], // MPEG 1
  2: [22050, 24000, 16000], // MPEG 2
  0: [11025, 12000, 8000], // MPEG 2.5
};

interface Frame {
  bytes: number;
  samples: number;
  sampleRate: number;
}

/** One MPEG audio frame header at `at`, or null when there is none. */
function frameAt(bytes: Buffer, at: number): Frame | null {
  if (at + 4 > bytes.length) return null;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3; // 3: MPEG 1, 2: MPEG 2, 0: MPEG 2.5, 1: reserved
  const layerBits = (b1 >> 1) & 3; // 3: layer I, 2: II, 1: III, 0: reserved
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3)
    return null;
  const layer = 4 - layerBits; // 1, 2 or 3
  const kbps = BITRATES[version === 3 ? 'v1' : 'v2'][layer - 1]![bitrateIndex]!;
  const sampleRate = SAMPLE_RATES[version]![rateIndex]!;
  const padding = (b2 >> 1) & 1;
  if (layer === 1)
    return { bytes: (Math.floor((12 * kbps * 1000) / sampleRate) + padding) * 4, samples: 384, sampleRate };
  const samples = layer === 3 && version !== 3 ? 576 : 1152;
  return { bytes: Math.floor(((samples / 8) * kbps * 1000) / sampleRate) + padding, samples, sampleRate };
}

/**
 * MP3: every frame from the first to the last is walked and its samples summed (exact for constant
 * and variable bit rates alike). The stream must start right after the ID3v2 tag and run, frame after
 * frame, to the end (an ID3v1 tag of 128 bytes may close it), so other bytes are never taken for audio.
 */
function readMp3(bytes: Buffer): AudioContent | null {
  let offset = 0;
  if (bytes.length >= 10 && bytes.toString('latin1', 0, 3) === 'ID3') {
    const size =
      ((bytes[6]! & 0x7f) << 21) |
      ((bytes[7]! & 0x7f) << 14) |
      ((bytes[8]! & 0x7f) << 7) |
      (bytes[9]! & 0x7f);
    offset = 10 + size + (bytes[5]! & 0x10 ? 10 : 0);
  }
  let frames = 0;
  let seconds = 0;
  while (offset < bytes.length) {
    const frame = frameAt(bytes, offset);
    if (!frame) break;
    // the last frame may be cut short by a recorder stopped mid-frame
    offset += frame.bytes;
    frames++;
    seconds += frame.samples / frame.sampleRate;
  }
  const rest = bytes.length - offset;
  const closed = rest <= 0 || (rest === 128 && bytes.toString('latin1', offset, offset + 3) === 'TAG');
  if (frames < 2 || !closed) return null;
  return { format: 'mp3', durationMs: Math.round(seconds * 1000), mediaType: 'audio/mpeg' };
}
