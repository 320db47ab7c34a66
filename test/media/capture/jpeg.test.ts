// Byte-level picture facts and the MJPEG frame reader: sizes from headers, where a JPEG ends (an
// EXIF thumbnail's own FF D9 must not end it), and the first frame of a stream however the bytes
// are chunked, with and without per-part Content-Length.
import { beforeAll, describe, expect, it } from 'vitest';
import { isJpeg, jpegEnd, jpegSize, pngSize, sniffImage } from '../../../src/media/capture/jpeg.js';
import { MjpegFrameReader } from '../../../src/media/capture/mjpeg.js';
import { makeJpegs } from '../../helpers/fake-camera.js';

let frames: Buffer[];
beforeAll(async () => {
  frames = await makeJpegs(3, 320, 240);
});

/** The same picture with an APP1 segment holding a fake thumbnail JPEG (its own SOI ... EOI). */
function withThumbnail(jpeg: Buffer): Buffer {
  const thumb = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x03, 0x00, 0xff, 0xd9]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), thumb]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(payload.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1]), len, payload, jpeg.subarray(2)]);
}

function part(frame: Buffer, withLength: boolean): Buffer {
  const head = `--b\r\nContent-Type: image/jpeg\r\n${withLength ? `Content-Length: ${frame.length}\r\n` : ''}\r\n`;
  return Buffer.concat([Buffer.from(head), frame, Buffer.from('\r\n')]);
}

function feed(stream: Buffer, chunk: number): Buffer | undefined {
  const r = new MjpegFrameReader();
  for (let i = 0; i < stream.length; i += chunk) {
    const f = r.push(stream.subarray(i, i + chunk));
    if (f) return f;
  }
  return undefined;
}

describe('JPEG headers', () => {
  it('reads the size of a real JPEG and tells JPEG from other bytes', () => {
    expect(isJpeg(frames[0]!)).toBe(true);
    expect(jpegSize(frames[0]!)).toEqual({ width: 320, height: 240 });
    expect(sniffImage(frames[0]!)).toEqual({ mime: 'image/jpeg', width: 320, height: 240 });
    expect(sniffImage(Buffer.from('<html></html>'))).toBeUndefined();
    expect(jpegSize(Buffer.from([0xff, 0xd8, 0xff]))).toBeUndefined();
  });

  it('reads a PNG size from IHDR', () => {
    const png = Buffer.alloc(24);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    png.writeUInt32BE(640, 16);
    png.writeUInt32BE(480, 20);
    expect(pngSize(png)).toEqual({ width: 640, height: 480 });
  });

  it('finds the end of a JPEG, not of its EXIF thumbnail', () => {
    const j = withThumbnail(frames[0]!);
    expect(jpegSize(j)).toEqual({ width: 320, height: 240 });
    expect(jpegEnd(j, 0)).toBe(j.length);
    expect(jpegEnd(frames[0]!, 0)).toBe(frames[0]!.length);
    expect(jpegEnd(frames[0]!.subarray(0, frames[0]!.length - 1), 0)).toBe(-1);
  });
});

describe('MjpegFrameReader', () => {
  for (const withLength of [true, false]) {
    for (const chunk of [1, 7, 1000, 1 << 20]) {
      it(`returns the first whole frame (${withLength ? 'with' : 'without'} Content-Length, ${chunk}-byte chunks)`, () => {
        const stream = Buffer.concat([Buffer.from('\r\n'), part(withThumbnail(frames[0]!), withLength), part(frames[1]!, withLength)]);
        expect(feed(stream, chunk)?.equals(withThumbnail(frames[0]!))).toBe(true);
      });
    }
  }

  it('ignores a Content-Length that does not end a JPEG', () => {
    const f = frames[2]!;
    const stream = Buffer.concat([Buffer.from(`--b\r\nContent-Length: ${f.length - 10}\r\n\r\n`), f, Buffer.from('\r\n')]);
    expect(feed(stream, 100)?.equals(f)).toBe(true);
  });

  it('holds little memory while no picture starts', () => {
    const r = new MjpegFrameReader();
    for (let i = 0; i < 100; i++) expect(r.push(Buffer.alloc(10_000, 0x41))).toBeUndefined();
    expect(r.received).toBe(1_000_000);
    expect(r.push(part(frames[0]!, false))?.equals(frames[0]!)).toBe(true);
  });
});
