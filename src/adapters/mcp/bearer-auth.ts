import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Checks `Authorization: Bearer <token>` against the configured token in constant time. Both sides
 * are hashed first so that neither the comparison nor an early length check reveals the token length.
 */
export function bearerTokenCheck(expectedToken: string): (authorization: string | undefined) => boolean {
  const expected = digest(expectedToken);
  return (authorization) => {
    const given = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
    // A missing token is still hashed and compared, so every rejection costs the same.
    return timingSafeEqual(digest(given ?? ''), expected) && given !== undefined;
  };
}
