import { createHash } from 'node:crypto';

/**
 * A read view as it goes on the wire: its UTF-8 JSON and weak ETag, made once. The view cache
 * keeps these rather than the view objects, so a cached view costs its bytes and nothing more
 * (a 10 000-goal tree as objects plus a JSON string took about four times its 3 MB), and every
 * answer hands the same bytes to the socket instead of encoding a string per response.
 * `T` is the view's type, kept for the reader: what a route sends is still declared.
 */
export class ViewBody<T = unknown> {
  declare private readonly view?: T;

  private constructor(
    readonly bytes: Buffer,
    readonly etag: string,
  ) {}

  static of<T>(view: T): ViewBody<T> {
    const json = JSON.stringify(view);
    // Outside Node's shared 8 KB pool: a small body kept in a cache would otherwise hold the
    // whole slab it was cut from, and everything else allocated in it.
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json));
    bytes.write(json);
    const etag = `W/"${createHash('sha1').update(bytes).digest('base64url')}"`;
    return new ViewBody<T>(bytes, etag);
  }
}
