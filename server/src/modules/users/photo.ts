/**
 * The type of an image by its first bytes (magic numbers), never by its name or declared type:
 * JPEG (FF D8 FF), PNG (89 50 4E 47 0D 0A 1A 0A) or WebP (RIFF….WEBP). Anything else is null.
 */
export function sniffImageType(content: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff)
    return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (content.length >= png.length && png.every((byte, i) => content[i] === byte)) return 'image/png';
  if (
    content.length >= 12 &&
    content.toString('latin1', 0, 4) === 'RIFF' &&
    content.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return 'image/webp';
  }
  return null;
}
