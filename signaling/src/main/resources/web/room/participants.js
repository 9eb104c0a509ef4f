// The participant list beside the tiles: who is in the room, their microphone and camera
// state and connection quality, and how many people there are.

import { atrium } from './hook.js';

/**
 * @param {HTMLElement} list a <ul>
 * @param {HTMLElement} count
 */
export function participantList(list, count) {
  /** Re-renders from window.atrium's data: small lists, so simpler than patching. */
  const render = () => {
    const items = [];
    if (atrium.participantId) items.push(item(`${atrium.name ?? 'You'} (you)`, null, null));
    for (const [id, entry] of atrium.remote) {
      items.push(item(entry.name, entry.muted, atrium.quality.get(id) ?? null, id));
    }
    list.replaceChildren(...items);
    if (!atrium.participantId) {
      count.textContent = '';
      delete count.dataset.count;
      return;
    }
    const people = atrium.remote.size + 1;
    count.dataset.count = String(people);
    count.textContent = people === 1 ? 'Only you in the room' : `${people} people in the room`;
  };
  return { render };
}

/**
 * @param {string} name
 * @param {{ camera: boolean, microphone: boolean } | null} muted
 * @param {string | null} quality
 * @param {string} [id]
 */
function item(name, muted, quality, id) {
  const li = document.createElement('li');
  if (id) li.dataset.participantId = id;
  const label = document.createElement('span');
  label.className = 'name';
  label.textContent = name;
  li.append(label);
  const states = [];
  if (muted?.microphone) states.push('microphone off');
  if (muted?.camera) states.push('camera off');
  if (quality) states.push(`connection ${quality}`);
  if (states.length) {
    const detail = document.createElement('span');
    detail.className = 'detail';
    if (quality) detail.dataset.quality = quality;
    detail.textContent = states.join(', ');
    li.append(detail);
  }
  return li;
}
