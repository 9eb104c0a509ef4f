// What the page URL asks for: /room/NAME?name=...&token=...&relay=1&cert=rsa

const ROOM_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_NAME_CHARS = 64;
export const DEFAULT_NAME = 'guest';

/**
 * @typedef {object} PageParams
 * @property {string} room the room name from the path ('' when there is none)
 * @property {boolean} roomValid whether the server would take that name
 * @property {string | null} name `?name=`: join at once under that name, without the pre-join screen
 * @property {string | null} token `?token=`: a join token, for servers that require one
 * @property {boolean} relay `?relay=1`: all media through TURN (iceTransportPolicy "relay")
 * @property {boolean} rsa `?cert=rsa`: an RSA-2048 DTLS certificate instead of the browser's ECDSA
 */

/** @returns {PageParams} */
export function readParams(url = new URL(location.href)) {
  const query = url.searchParams;
  const room = roomFromPath(url.pathname);
  const token = (query.get('token') ?? '').trim();
  return {
    room,
    roomValid: ROOM_PATTERN.test(room),
    // An empty ?name= still means "join at once", as the guest.
    name: query.has('name') ? cleanName(query.get('name') ?? '') : null,
    token: token || null,
    relay: query.get('relay') === '1',
    rsa: query.get('cert') === 'rsa',
  };
}

/**
 * The protocol allows at most 64 characters; code points are counted, not UTF-16 units.
 * @param {string} raw
 */
export function cleanName(raw) {
  return Array.from(raw.trim()).slice(0, MAX_NAME_CHARS).join('') || DEFAULT_NAME;
}

/** @param {string} pathname */
function roomFromPath(pathname) {
  const match = pathname.match(/^\/room\/([^/]*)\/?$/);
  if (!match) return '';
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1]; // a malformed %-escape: validation rejects it in plain words
  }
}
