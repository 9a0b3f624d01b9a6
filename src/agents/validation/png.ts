/** Checks on PNG files written by untrusted code: a real header, sane dimensions, not one flat colour. */
import { PNG } from 'pngjs';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Larger than any screenshot we take; a bigger claim is a decompression bomb, not a page. */
const MAX_PIXELS = 16_000_000;

/** Width and height from the IHDR chunk, or undefined when the bytes are not a plausible PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE)) return undefined;
  if (png.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width === 0 || height === 0 || width * height > MAX_PIXELS) return undefined;
  return { width, height };
}

/**
 * True when every pixel is (nearly) the colour of the first: a white screen is what a React app that
 * crashed while rendering shows. Unreadable images count as blank.
 */
export function isBlankPng(png: Buffer, tolerance = 8): boolean {
  if (!pngSize(png)) return true;
  let image: PNG;
  try {
    image = PNG.sync.read(png);
  } catch {
    return true;
  }
  const { data } = image;
  const [r, g, b] = [data[0] ?? 0, data[1] ?? 0, data[2] ?? 0];
  for (let i = 4; i < data.length; i += 4) {
    if (
      Math.abs((data[i] ?? 0) - r) > tolerance ||
      Math.abs((data[i + 1] ?? 0) - g) > tolerance ||
      Math.abs((data[i + 2] ?? 0) - b) > tolerance
    )
      return false;
  }
  return true;
}
